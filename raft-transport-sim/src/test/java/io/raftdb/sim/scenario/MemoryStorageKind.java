package io.raftdb.sim.scenario;

import io.raftdb.NodeId;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import io.raftdb.core.storage.snapshot.MemorySnapshotStorage;
import io.raftdb.message.LogEntry;
import io.raftdb.message.LogEntryCodec;
import io.raftdb.storage.SnapshotInfo;
import java.util.Optional;

/**
 * {@link StorageKind#MEMORY}: RaftDB's in-memory stores. A crash keeps their
 * {@code durableCopy()} taken at the crash instant, so a restarted node finds what was synced
 * (and the snapshots that were published) by then and nothing more, as the labs' {@code crash1}
 * keeps a copy of the persister.
 */
final class MemoryStorageKind implements StorageKind {

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public NodeDisk newDisk(NodeId node) {
    return new MemoryDisk();
  }

  /** One node's in-memory disk. Used by the test thread only. */
  private static final class MemoryDisk implements NodeDisk {
    private MemoryLogStorage log;
    private MemoryMetaStorage meta;
    private MemorySnapshotStorage snapshots;
    private boolean open;
    /** What survives, frozen at the crash instant; null until {@link #crashing()}. */
    private NodeStores survivors;

    @Override
    public NodeStores open() {
      if (open) {
        throw new IllegalStateException("the previous incarnation has not crashed");
      }
      if (log == null) {
        log = new MemoryLogStorage();
        meta = new MemoryMetaStorage();
        snapshots = new MemorySnapshotStorage();
      }
      open = true;
      return new NodeStores(log, meta, snapshots);
    }

    @Override
    public void crashing() {
      if (open && survivors == null) {
        survivors = new NodeStores(log.durableCopy(), meta.durableCopy(),
            snapshots.durableCopy());
      }
    }

    @Override
    public void crashed() {
      if (!open) {
        return;
      }
      // Fresh copies per incarnation: a crashed incarnation still running can never change
      // what the next one reads.
      crashing();
      log = (MemoryLogStorage) survivors.log();
      meta = (MemoryMetaStorage) survivors.meta();
      snapshots = (MemorySnapshotStorage) survivors.snapshots();
      survivors = null;
      open = false;
    }

    @Override
    public long persistedLogBytes() {
      if (log == null) {
        return 0;
      }
      // The durable copy, because the running incarnation's loop is the only reader of its log.
      MemoryLogStorage durable = log.durableCopy();
      try {
        long bytes = 0;
        for (LogEntry e : durable.entries(durable.firstIndex(), durable.lastIndex() + 1,
            Long.MAX_VALUE)) {
          bytes += LogEntryCodec.encodedSize(e);
        }
        return bytes;
      } finally {
        durable.close();
      }
    }

    @Override
    public long persistedHardStateBytes() {
      return meta == null ? 0 : HardStateBytes.of(meta.durableCopy().load());
    }

    @Override
    public Optional<SnapshotInfo> latestSnapshot() {
      if (snapshots == null) {
        return Optional.empty();
      }
      MemorySnapshotStorage durable = snapshots.durableCopy(); // works while in use, or closed
      try {
        return durable.latest();
      } finally {
        durable.close();
      }
    }

    @Override
    public void close() {
      log = null;
      meta = null;
      snapshots = null;
    }
  }
}
