package io.raftdb.sim.dst;

import java.util.SplittableRandom;

/** Random spans of virtual time. */
final class RandomTimes {
  private RandomTimes() {}

  /**
   * An exponentially distributed span with the given mean, at least 1 microsecond: the gaps
   * between events that happen independently at a steady rate (crashes, client requests).
   */
  static long exponential(SplittableRandom random, long mean) {
    return 1 + (long) (-Math.log(1 - random.nextDouble()) * mean);
  }
}
