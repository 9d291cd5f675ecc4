package io.raftdb.sim.dst;

import io.raftdb.LogPosition;
import io.raftdb.Membership;
import io.raftdb.storage.LogStorage;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotStorage;
import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A restarting node's state machine and log brought in line with its newest durable snapshot,
 * exactly as the runtime's {@code SnapshotStartup} does it: load the snapshot into a fresh state
 * machine, and if the log does not reach the snapshot (the node crashed after storing a leader's
 * snapshot but before its log reset was durable), restart the log there.
 */
final class SimSnapshotStartup {
  private SimSnapshotStartup() {}

  /**
   * A state machine and the snapshot it was restored from (index 0: none), with that snapshot's
   * membership ({@code null}: none).
   */
  record Restored(LogPosition snapshot, RunningHash state, Membership membership) {}

  /**
   * Restores from the newest snapshot in {@code snapshots}, if any.
   *
   * @throws StorageException if the log and the snapshots leave a gap (which the checkers report
   *     as a compaction-safety violation before this is called)
   */
  static Restored restore(String name, LogStorage log, SnapshotStorage snapshots) {
    RunningHash state = new RunningHash();
    Optional<SnapshotInfo> latest = snapshots.latest();
    if (latest.isEmpty()) {
      if (log.firstIndex() > 1) {
        throw new StorageException(name + ": the log starts at index " + log.firstIndex()
            + " but no snapshot covers the entries before it");
      }
      return new Restored(new LogPosition(0, 0), state, null);
    }
    SnapshotInfo s = latest.get();
    if (s.index() < log.firstIndex() - 1) {
      throw new StorageException(name + ": the newest snapshot ends at " + s.index()
          + " but the log starts at " + log.firstIndex());
    }
    if (s.index() > log.lastIndex() || log.term(s.index()) != s.term()) {
      log.reset(s.index(), s.term());
      log.sync();
    }
    try (InputStream in = snapshots.openState(s)) {
      state.restore(s.index(), in);
    } catch (IOException e) {
      throw new StorageException(name + ": loading snapshot " + s.index() + "@" + s.term()
          + " failed", e);
    }
    return new Restored(new LogPosition(s.index(), s.term()), state, s.membership());
  }
}
