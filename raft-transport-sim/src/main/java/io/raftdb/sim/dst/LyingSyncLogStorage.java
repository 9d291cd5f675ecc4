package io.raftdb.sim.dst;

import io.raftdb.core.storage.ForwardingLogStorage;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import java.util.SplittableRandom;

/**
 * The broken log of {@link BrokenVariant#LYING_SYNC}: a {@link MemoryLogStorage} whose
 * {@link #sync()} returns without syncing every other time on average, as a disk with a volatile
 * write cache that claims to have flushed would. Everything else is passed through.
 */
final class LyingSyncLogStorage extends ForwardingLogStorage {
  private final SplittableRandom random;

  LyingSyncLogStorage(MemoryLogStorage inner, SplittableRandom random) {
    super(inner);
    this.random = random;
  }

  @Override
  public void sync() {
    if (random.nextBoolean()) {
      super.sync();
    }
  }
}
