package io.raftdb.sim.scenario;

import io.raftdb.NodeId;
import io.raftdb.core.storage.ForwardingLogStorage;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.message.LogEntry;
import io.raftdb.storage.SnapshotInfo;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately broken disk for testing the harness: its log's {@code sync()} returns at once
 * and makes the writes durable 5 ms later, so its node acknowledges appends before their sync
 * has completed. A crash that keeps only what was durable at the crash instant loses entries
 * the node acknowledged, and the 2C scenarios must catch that ({@link BrokenDiskHarnessTest}).
 */
final class LateSyncStorageKind implements StorageKind {
  private static final long SYNC_DELAY_MS = 5;

  @Override
  public String name() {
    return "late-sync memory";
  }

  @Override
  public NodeDisk newDisk(NodeId node) {
    return new LateSyncDisk(StorageKind.MEMORY.newDisk(node));
  }

  /** The memory disk with every incarnation's log wrapped in a {@link LateSyncLog}. */
  private static final class LateSyncDisk implements NodeDisk {
    private final NodeDisk disk;
    private LateSyncLog log;

    LateSyncDisk(NodeDisk disk) {
      this.disk = disk;
    }

    @Override
    public NodeStores open() {
      NodeStores stores = disk.open();
      log = new LateSyncLog((MemoryLogStorage) stores.log());
      return new NodeStores(log, stores.meta(), stores.snapshots());
    }

    @Override
    public void crashing() {
      disk.crashing();
    }

    @Override
    public void crashed() {
      disk.crashed();
      if (log != null) {
        log.stop();
      }
    }

    @Override
    public long persistedLogBytes() {
      return disk.persistedLogBytes();
    }

    @Override
    public long persistedHardStateBytes() {
      return disk.persistedHardStateBytes();
    }

    @Override
    public Optional<SnapshotInfo> latestSnapshot() {
      return disk.latestSnapshot();
    }

    @Override
    public void close() {
      if (log != null) {
        log.stop();
      }
      disk.close();
    }
  }

  /** A memory log whose syncs happen {@value #SYNC_DELAY_MS} ms after {@code sync()} returned. */
  private static final class LateSyncLog extends ForwardingLogStorage {
    private final MemoryLogStorage log;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "late-sync");
      t.setDaemon(true);
      return t;
    });

    LateSyncLog(MemoryLogStorage log) {
      super(log);
      this.log = log;
    }

    void stop() {
      later.shutdownNow();
    }

    @Override
    public void sync() {
      later.schedule(() -> {
        synchronized (this) {
          try {
            log.sync();
          } catch (IllegalStateException closed) {
            // the incarnation is gone; its late sync never happens
          }
        }
      }, SYNC_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized long firstIndex() {
      return super.firstIndex();
    }

    @Override
    public synchronized long lastIndex() {
      return super.lastIndex();
    }

    @Override
    public synchronized long term(long index) {
      return super.term(index);
    }

    @Override
    public synchronized List<LogEntry> entries(long from, long toExclusive, long maxBytes) {
      return super.entries(from, toExclusive, maxBytes);
    }

    @Override
    public synchronized void append(List<LogEntry> entries) {
      super.append(entries);
    }

    @Override
    public synchronized void truncateSuffix(long fromIndex) {
      super.truncateSuffix(fromIndex);
    }

    @Override
    public synchronized void compactPrefix(long upToIndex) {
      super.compactPrefix(upToIndex);
    }

    @Override
    public synchronized void reset(long snapshotIndex, long snapshotTerm) {
      super.reset(snapshotIndex, snapshotTerm);
    }
  }
}
