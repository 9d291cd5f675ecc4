package io.raftdb.core.runtime;

import io.raftdb.NodeId;
import io.raftdb.StateMachine;
import io.raftdb.storage.LogStorage;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a starting node's state machine and log in line with its newest valid snapshot: loads
 * the snapshot into the state machine, and makes sure the log continues from it (thesis §5.4: a
 * restarted node loads its snapshot, then replays the log after it).
 */
final class SnapshotStartup {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStartup.class);

  private SnapshotStartup() {}

  /**
   * Restores from the newest snapshot, if any.
   *
   * @return the snapshot, if there is one
   * @throws StorageException if the log and the snapshots cannot be reconciled (entries missing
   *     between the newest valid snapshot and the log), or the snapshot cannot be loaded
   */
  static Optional<SnapshotInfo> restore(NodeId self, NodeStorage storage, StateMachine stateMachine) {
    LogStorage log = storage.log();
    Optional<SnapshotInfo> latest =
        storage.snapshots() == null ? Optional.empty() : storage.snapshots().latest();
    if (latest.isEmpty()) {
      if (log.firstIndex() > 1) {
        throw new StorageException("node " + self + ": the log starts at index "
            + log.firstIndex() + " but no valid snapshot covers the entries before it");
      }
      return Optional.empty();
    }
    SnapshotInfo s = latest.get();
    if (s.index() < log.firstIndex() - 1) {
      throw new StorageException("node " + self + ": the newest valid snapshot ends at index "
          + s.index() + " but the log starts at " + log.firstIndex()
          + "; entries in between are lost");
    }
    if (s.index() > log.lastIndex() || log.term(s.index()) != s.term()) {
      // The node crashed after storing a leader's snapshot but before discarding its old log.
      LOG.info("node {}: log {}..{} does not reach snapshot {}@{}; restarting the log there",
          self, log.firstIndex(), log.lastIndex(), s.index(), s.term());
      log.reset(s.index(), s.term());
      log.sync();
    }
    try (InputStream in = storage.snapshots().openState(s)) {
      stateMachine.restoreSnapshot(in);
    } catch (IOException e) {
      throw new StorageException("node " + self + ": loading snapshot " + s.index() + "@"
          + s.term() + " into the state machine failed", e);
    }
    LOG.info("node {} restored snapshot {}@{}", self, s.index(), s.term());
    return latest;
  }
}
