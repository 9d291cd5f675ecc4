package io.raftdb.sim.scenario;

import io.raftdb.core.storage.ForwardingLogStorage;
import io.raftdb.storage.LogStorage;

/**
 * A log that records how far its syncs reached: the last index that a completed sync covered,
 * lowered at once by a truncation or reset (which Chronicle makes durable as it writes them).
 * What a power loss would keep; the Chronicle disk cuts the log back to it after a crash.
 * Thread-safe as the log it wraps: the node's sync thread may sync while its loop appends.
 */
final class SyncTrackingLog extends ForwardingLogStorage {
  private volatile long syncedLastIndex;

  SyncTrackingLog(LogStorage log) {
    super(log);
    this.syncedLastIndex = log.lastIndex(); // what a restart found had survived
  }

  /** The last index a completed sync covered (and no truncation removed since). */
  long syncedLastIndex() {
    return syncedLastIndex;
  }

  @Override
  public void sync() {
    long covered = lastIndex(); // appended before this call: the sync covers at least that
    super.sync();
    synchronized (this) {
      syncedLastIndex = Math.max(syncedLastIndex, Math.min(covered, lastIndex()));
    }
  }

  @Override
  public void truncateSuffix(long fromIndex) {
    synchronized (this) {
      syncedLastIndex = Math.min(syncedLastIndex, fromIndex - 1);
    }
    super.truncateSuffix(fromIndex);
  }

  @Override
  public void reset(long snapshotIndex, long snapshotTerm) {
    super.reset(snapshotIndex, snapshotTerm);
    synchronized (this) {
      syncedLastIndex = snapshotIndex;
    }
  }
}
