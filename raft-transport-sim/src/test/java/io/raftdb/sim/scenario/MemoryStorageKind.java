package io.raftdb.sim.scenario;

import io.raftdb.NodeId;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;

/**
 * {@link StorageKind#MEMORY}: RaftDB's in-memory stores. A crash keeps their
 * {@code durableCopy()}, so a restarted node finds what was synced and nothing more, as the labs'
 * {@code crash1} keeps a copy of the persister.
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
    private boolean open;

    @Override
    public NodeStores open() {
      if (open) {
        throw new IllegalStateException("the previous incarnation has not crashed");
      }
      if (log == null) {
        log = new MemoryLogStorage();
        meta = new MemoryMetaStorage();
      }
      open = true;
      return new NodeStores(log, meta);
    }

    @Override
    public void crashed() {
      if (!open) {
        return;
      }
      // A fresh copy per incarnation: a crashed incarnation still running can never change
      // what the next one reads.
      log = log.durableCopy();
      meta = meta.durableCopy();
      open = false;
    }

    @Override
    public void close() {
      log = null;
      meta = null;
    }
  }
}
