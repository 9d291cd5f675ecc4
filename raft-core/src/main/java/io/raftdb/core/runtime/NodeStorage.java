package io.raftdb.core.runtime;

import io.raftdb.core.storage.chronicle.ChronicleLogStorage;
import io.raftdb.core.storage.file.FileMetaStorage;
import io.raftdb.core.storage.snapshot.FileSnapshotStorage;
import io.raftdb.spi.NodeSpec;
import io.raftdb.storage.LogStorage;
import io.raftdb.storage.MetaStorage;
import io.raftdb.storage.SnapshotStorage;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable state of one node: its Raft log, its hard state (term and vote) and its snapshots.
 *
 * @param log the log; the node's event loop is its only writer
 * @param meta the hard-state store
 * @param snapshots the snapshot store, or {@code null} when the node takes no snapshots
 */
record NodeStorage(LogStorage log, MetaStorage meta, SnapshotStorage snapshots) {
  private static final Logger LOG = LoggerFactory.getLogger(NodeStorage.class);

  /**
   * Opens the storage a spec describes: the ready-made stores when it gives both, otherwise the
   * files under its data directory.
   *
   * @throws IllegalArgumentException if the spec describes no usable storage
   */
  static NodeStorage open(NodeSpec spec) {
    if (spec.logStorage() != null && spec.metaStorage() != null) {
      return new NodeStorage(spec.logStorage(), spec.metaStorage(), spec.snapshotStorage());
    }
    if (spec.dataDirectory() != null) {
      return openDirectory(spec.dataDirectory(), spec.snapshotStorage());
    }
    throw new IllegalArgumentException(
        "node " + spec.id() + " needs either a data directory or both a log and a meta storage");
  }

  /**
   * The stores under {@code dir}: the Chronicle Queue log in {@code log/}, the hard state in
   * {@code hard-state}, snapshots in {@code snapshots/} (unless a snapshot store is given).
   */
  private static NodeStorage openDirectory(Path dir, SnapshotStorage givenSnapshots) {
    LogStorage log = ChronicleLogStorage.builder(dir.resolve("log")).open();
    MetaStorage meta = null;
    try {
      meta = FileMetaStorage.open(dir.resolve("hard-state"));
      SnapshotStorage snapshots = givenSnapshots != null ? givenSnapshots
          : FileSnapshotStorage.open(dir.resolve("snapshots"));
      return new NodeStorage(log, meta, snapshots);
    } catch (RuntimeException e) {
      new NodeStorage(log, meta, null).closeQuietly();
      throw e;
    }
  }

  /** Closes both stores, without syncing; logs rather than throws a failure to close. */
  void closeQuietly() {
    try {
      log.close();
    } catch (RuntimeException e) {
      LOG.warn("closing the log storage failed", e);
    }
    try {
      if (meta != null) {
        meta.close();
      }
    } catch (RuntimeException e) {
      LOG.warn("closing the meta storage failed", e);
    }
    if (snapshots != null) {
      try {
        snapshots.close();
      } catch (RuntimeException e) {
        LOG.warn("closing the snapshot storage failed", e);
      }
    }
  }
}
