package io.raftdb.sim.dst;

import java.util.Arrays;

/** A growable array of longs indexed from 1 (log indexes), 0 where nothing was set. */
final class LongColumn {
  /** Refuse to grow past this, rather than run out of memory on a runaway log. */
  static final int MAX_SIZE = 1 << 26;

  private long[] values = new long[64];

  long get(long index) {
    return index < values.length ? values[(int) index] : 0;
  }

  void set(long index, long value) {
    if (index >= values.length) {
      if (index >= MAX_SIZE) {
        throw new IllegalStateException("log index " + index + " is beyond the simulator's limit");
      }
      values = Arrays.copyOf(values, (int) Math.max(index + 1, Math.min(MAX_SIZE,
          (long) values.length * 2)));
    }
    values[(int) index] = value;
  }
}
