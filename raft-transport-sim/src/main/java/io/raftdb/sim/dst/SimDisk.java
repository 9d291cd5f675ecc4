package io.raftdb.sim.dst;

import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import io.raftdb.core.storage.snapshot.MemorySnapshotStorage;
import io.raftdb.storage.HardState;
import io.raftdb.storage.LogStorage;
import io.raftdb.storage.MetaStorage;
import java.util.SplittableRandom;

/**
 * One node's disk: its log, its term-and-vote store and its snapshots, which survive a crash only
 * as far as they were made durable ({@link MemoryLogStorage#durableCopy()},
 * {@link MemorySnapshotStorage#durableCopy()}: a snapshot is durable once published, never while
 * it is being written or received). A broken variant may make the disk lie about syncs or forget
 * the vote across a restart.
 */
final class SimDisk {
  private final BrokenVariant variant;
  private final SplittableRandom random;
  private MemoryLogStorage log = new MemoryLogStorage();
  private MemoryMetaStorage meta = new MemoryMetaStorage();
  private MemorySnapshotStorage snapshots;
  private LogStorage logView;

  /** A disk whose snapshot store keeps the newest {@value MemorySnapshotStorage#DEFAULT_KEEP}. */
  SimDisk(BrokenVariant variant, SplittableRandom random) {
    this(variant, random, MemorySnapshotStorage.DEFAULT_KEEP);
  }

  /** A disk whose snapshot store keeps the newest {@code snapshotsKept}. */
  SimDisk(BrokenVariant variant, SplittableRandom random, int snapshotsKept) {
    this.variant = variant;
    this.random = random;
    this.snapshots = new MemorySnapshotStorage(snapshotsKept);
    logView = view(log);
  }

  /** The log as the node sees and writes it. */
  LogStorage log() {
    return logView;
  }

  /** The term-and-vote store (every save is durable at once). */
  MetaStorage meta() {
    return meta;
  }

  /** The snapshot store (the same bytes as the file store). */
  MemorySnapshotStorage snapshots() {
    return snapshots;
  }

  /** The index of the newest durable snapshot, or 0 if there is none. */
  long newestSnapshotIndex() {
    return snapshots.latest().map(s -> s.index()).orElse(0L);
  }

  /**
   * The node crashed: from now on the disk holds only what was durable. The old stores are
   * closed, so that nothing of the dead incarnation can touch them.
   */
  void crash() {
    MemoryLogStorage durableLog = log.durableCopy();
    MemoryMetaStorage durableMeta = meta.durableCopy();
    MemorySnapshotStorage durableSnapshots = snapshots.durableCopy();
    log.close();
    meta.close();
    snapshots.close();
    if (variant == BrokenVariant.FORGETFUL_VOTE) {
      durableMeta = new MemoryMetaStorage(new HardState(durableMeta.load().term(), null));
    }
    log = durableLog;
    meta = durableMeta;
    snapshots = durableSnapshots;
    logView = view(log);
  }

  private LogStorage view(MemoryLogStorage memory) {
    return variant == BrokenVariant.LYING_SYNC ? new LyingSyncLogStorage(memory, random) : memory;
  }
}
