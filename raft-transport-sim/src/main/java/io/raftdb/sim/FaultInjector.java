package io.raftdb.sim;

import java.util.SplittableRandom;

/**
 * Decides, for each message a {@link SimNetwork} lets through, whether to drop it and how long to
 * hold it back, with labrpc's numbers (see {@code mit-6824-tests.md} §1.2-1.3).
 *
 * <p>Every decision is drawn from one random source seeded by the network, in send order, so a
 * single-threaded run is reproducible from the seed. The source is guarded by a lock, but the lock
 * is taken only while a fault is enabled: on a reliable network without reordering the decision
 * is "deliver now" and costs three volatile reads.
 */
final class FaultInjector {

  /** Returned by {@link #decide} for a message to drop. */
  static final long DROP = -1;

  /** Unreliable: every message waits 0..26 ms ({@code rand.Int() % 27} in labrpc). */
  private static final int UNRELIABLE_MAX_DELAY_EXCLUSIVE_MS = 27;
  /** Unreliable: 100 in 1000 requests, and 100 in 1000 replies, are lost. */
  private static final int DROP_PER_MILLE = 100;
  /** Long reordering: 600 in 900 replies are held back. */
  private static final int REORDER_CHANCE = 600;
  private static final int REORDER_OUT_OF = 900;
  /** Long reordering: held back 200 ms plus uniform(0, uniform(0..1999)) ms. */
  private static final int REORDER_BASE_MS = 200;
  private static final int REORDER_SPREAD_MS = 2000;
  /**
   * Call reordering: 1 in 10 messages is held back 1 ms, so that messages sent back to back can
   * arrive out of order, as labrpc's calls do (each runs on its own goroutine).
   */
  private static final int LATE_PER_MILLE = 100;
  private static final int LATE_MS = 1;

  private final SplittableRandom random;
  private volatile boolean reliable = true;
  private volatile boolean longReordering;
  private volatile boolean callReordering;

  FaultInjector(long seed) {
    random = new SplittableRandom(seed);
  }

  void setReliable(boolean reliable) {
    this.reliable = reliable;
  }

  boolean reliable() {
    return reliable;
  }

  void setLongReordering(boolean longReordering) {
    this.longReordering = longReordering;
  }

  boolean longReordering() {
    return longReordering;
  }

  void setCallReordering(boolean callReordering) {
    this.callReordering = callReordering;
  }

  boolean callReordering() {
    return callReordering;
  }

  /**
   * The delay in milliseconds for one message, or {@link #DROP}.
   *
   * @param request whether the message is a request (requests are never reordered, as in labrpc,
   *     where only the reply leg is held back)
   */
  long decide(boolean request) {
    boolean unreliable = !reliable;
    boolean reorder = longReordering && !request;
    boolean late = callReordering && !unreliable; // unreliable delays reorder calls already
    if (!unreliable && !reorder && !late) {
      return 0;
    }
    synchronized (random) {
      long delayMs = 0;
      if (late && random.nextInt(1000) < LATE_PER_MILLE) {
        delayMs = LATE_MS;
      }
      if (unreliable) {
        delayMs = random.nextInt(UNRELIABLE_MAX_DELAY_EXCLUSIVE_MS);
        if (random.nextInt(1000) < DROP_PER_MILLE) {
          return DROP;
        }
      }
      if (reorder && random.nextInt(REORDER_OUT_OF) < REORDER_CHANCE) {
        delayMs += REORDER_BASE_MS + random.nextInt(1 + random.nextInt(REORDER_SPREAD_MS));
      }
      return delayMs;
    }
  }
}
