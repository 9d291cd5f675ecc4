package io.raftdb.core.storage.chronicle;

import net.openhft.chronicle.core.time.TimeProvider;

/**
 * The time Chronicle sees: cycle {@code n} of the roll cycle, never the wall clock. Chronicle
 * rolls to a new file when the cycle this clock reports changes, so the store alone decides when
 * a segment ends. Written by the store's writer, read by Chronicle on the same thread.
 */
final class LogicalClock implements TimeProvider {
  private final long millisPerCycle;
  private volatile int cycle;

  LogicalClock(long millisPerCycle, int cycle) {
    this.millisPerCycle = millisPerCycle;
    this.cycle = cycle;
  }

  void moveTo(int newCycle) {
    cycle = newCycle;
  }

  @Override
  public long currentTimeMillis() {
    return cycle * millisPerCycle;
  }
}
