package io.raftdb.sim.dst;

import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import io.raftdb.storage.HardState;
import io.raftdb.storage.LogStorage;
import io.raftdb.storage.MetaStorage;
import java.util.SplittableRandom;

/**
 * One node's disk: its log and its term-and-vote store, which survive a crash only as far as
 * they were made durable ({@link MemoryLogStorage#durableCopy()}). A broken variant may make the
 * disk lie about syncs or forget the vote across a restart.
 */
final class SimDisk {
  private final BrokenVariant variant;
  private final SplittableRandom random;
  private MemoryLogStorage log = new MemoryLogStorage();
  private MemoryMetaStorage meta = new MemoryMetaStorage();
  private LogStorage logView;

  SimDisk(BrokenVariant variant, SplittableRandom random) {
    this.variant = variant;
    this.random = random;
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

  /**
   * The node crashed: from now on the disk holds only what was durable. The old stores are
   * closed, so that nothing of the dead incarnation can touch them.
   */
  void crash() {
    MemoryLogStorage durableLog = log.durableCopy();
    MemoryMetaStorage durableMeta = meta.durableCopy();
    log.close();
    meta.close();
    if (variant == BrokenVariant.FORGETFUL_VOTE) {
      durableMeta = new MemoryMetaStorage(new HardState(durableMeta.load().term(), null));
    }
    log = durableLog;
    meta = durableMeta;
    logView = view(log);
  }

  private LogStorage view(MemoryLogStorage memory) {
    return variant == BrokenVariant.LYING_SYNC ? new LyingSyncLogStorage(memory, random) : memory;
  }
}
