package io.raftdb.core.protocol;

import java.util.Arrays;

/** Majority arithmetic over a set of voters (thesis §3.4, §3.6). */
final class Quorum {
  private Quorum() {}

  /** How many voters make a majority of {@code voters}. */
  static int majority(int voters) {
    return voters / 2 + 1;
  }

  /**
   * The largest value that a majority of voters has reached, given each voter's value (for
   * example the highest index a majority has durably replicated). Sorts {@code values} in place.
   */
  static long committedBy(long[] values) {
    Arrays.sort(values);
    return values[values.length - majority(values.length)];
  }
}
