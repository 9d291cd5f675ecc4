package io.raftdb.core.protocol;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * The leader lease (thesis §6.4.1): when a majority has answered a message round sent at time
 * {@code t}, no other leader can be elected before {@code t} plus an election timeout, because
 * voters ignore candidates for an election timeout after hearing from a leader. Remembers the
 * send times of the last few heartbeat rounds, read from a monotonic clock: never from ticks,
 * which a stalled node fires fewer of than real time passes.
 */
final class LeaderLease {
  private static final int ROUNDS = 8;
  private final long[] rounds = new long[ROUNDS];
  private final long[] sentAt = new long[ROUNDS];
  private int next;

  /** Notes that round {@code round} went to every follower at {@code nanos}. */
  void roundSent(long round, long nanos) {
    rounds[next] = round;
    sentAt[next] = nanos;
    next = (next + 1) % ROUNDS;
  }

  /** Forgets every round (a new leadership starts without a lease). */
  void clear() {
    Arrays.fill(rounds, 0);
  }

  /**
   * Whether the lease holds at {@code nowNanos}: some round sent less than {@code durationNanos}
   * ago was answered by a majority. The caller's duration leaves a margin for clock drift.
   */
  boolean holds(long nowNanos, long durationNanos, LongPredicate quorumAnswered) {
    for (int i = 0; i < ROUNDS; i++) {
      if (rounds[i] > 0 && nowNanos - sentAt[i] < durationNanos
          && quorumAnswered.test(rounds[i])) {
        return true;
      }
    }
    return false;
  }
}
