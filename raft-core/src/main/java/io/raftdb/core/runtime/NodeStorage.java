package io.raftdb.core.runtime;

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
      return openDirectory(spec.dataDirectory());
    }
    throw new IllegalArgumentException(
        "node " + spec.id() + " needs either a data directory or both a log and a meta storage");
  }

  /** The Chronicle Queue log and the file-based hard state under {@code dir}. */
  private static NodeStorage openDirectory(Path dir) {
    throw new IllegalArgumentException("dataDirectory storage is not available yet");
  }

  /** Closes both stores, without syncing; logs rather than throws a failure to close. */
  void closeQuietly() {
    try {
      log.close();
    } catch (RuntimeException e) {
      LOG.warn("closing the log storage failed", e);
    }
    try {
      meta.close();
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
