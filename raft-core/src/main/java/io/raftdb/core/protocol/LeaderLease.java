package io.raftdb.core.protocol;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * The leader lease (thesis §6.4.1): when a majority has answered a message round sent at tick
 * {@code t}, no other leader can be elected before {@code t} plus an election timeout, because
 * voters ignore candidates for an election timeout after hearing from a leader. Remembers the
 * send ticks of the last few heartbeat rounds.
 */
final class LeaderLease {
  private static final int ROUNDS = 8;
  private final long[] rounds = new long[ROUNDS];
  private final long[] sentAt = new long[ROUNDS];
  private int next;

  /** Notes that round {@code round} went to every follower at tick {@code tick}. */
  void roundSent(long round, long tick) {
    rounds[next] = round;
    sentAt[next] = tick;
    next = (next + 1) % ROUNDS;
  }

  /** Forgets every round (a new leadership starts without a lease). */
  void clear() {
    Arrays.fill(rounds, 0);
  }

  /**
   * Whether the lease holds at tick {@code now}: some round sent less than {@code durationTicks}
   * ago was answered by a majority. The caller leaves a margin for tick granularity and drift.
   */
  boolean holds(long now, int durationTicks, LongPredicate quorumAnswered) {
    for (int i = 0; i < ROUNDS; i++) {
      if (rounds[i] > 0 && now < sentAt[i] + durationTicks && quorumAnswered.test(rounds[i])) {
        return true;
      }
    }
    return false;
  }
}
