package io.raftdb.sim.dst;

import io.raftdb.message.LogEntry;

/**
 * The workload's state machine: its value is a hash of every entry applied so far, in order, so
 * any difference in what two nodes applied at any index shows as different values from there on.
 */
final class RunningHash {
  private long appliedIndex;
  private long value;

  /** Applies the next entry; returns the new value. */
  long apply(LogEntry e) {
    appliedIndex = e.index();
    value = Hashes.combine(value, Hashes.entry(e));
    return value;
  }

  long appliedIndex() {
    return appliedIndex;
  }

  long value() {
    return value;
  }
}
