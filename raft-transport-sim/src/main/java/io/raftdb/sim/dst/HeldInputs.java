package io.raftdb.sim.dst;

import java.util.ArrayDeque;

/**
 * What a simulated node owes while its loop is held up, by a sync or a stall: the inputs that
 * arrived (the runtime's mailbox) and the number of ticks that fell due. The runtime's event loop
 * ({@code io.raftdb.core.runtime.EventLoop}) takes every queued input first and then fires the
 * ticks that are due, but at most {@link #MAX_CATCH_UP_TICKS}; so after a long stall a node's tick
 * count lags real time, and the simulator must show the protocol exactly that.
 */
final class HeldInputs {
  /**
   * The runtime's {@code EventLoop.MAX_CATCH_UP_TICKS} (package-private in raft-core's runtime):
   * keep the two equal.
   */
  static final int MAX_CATCH_UP_TICKS = 3;

  private final ArrayDeque<Runnable> inputs = new ArrayDeque<>();
  private long missedTicks;

  /** Queues an input that arrived while the loop was held up. */
  void queue(Runnable input) {
    inputs.add(input);
  }

  /** Counts a tick that fell due while the loop was held up. */
  void tickMissed() {
    missedTicks++;
  }

  /** The next queued input, or {@code null}. */
  Runnable poll() {
    return inputs.poll();
  }

  int size() {
    return inputs.size();
  }

  long missedTicks() {
    return missedTicks;
  }

  /** How many of the missed ticks to fire now (the rest are forgotten, as the runtime does). */
  int takeCatchUpTicks() {
    int fire = (int) Math.min(missedTicks, MAX_CATCH_UP_TICKS);
    missedTicks = 0;
    return fire;
  }

  /** Forgets everything (the node crashed or restarted). */
  void clear() {
    inputs.clear();
    missedTicks = 0;
  }
}
