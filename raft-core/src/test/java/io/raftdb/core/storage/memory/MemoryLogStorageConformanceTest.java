package io.raftdb.core.storage.memory;

import io.raftdb.core.storage.LogStorageConformanceTest;
import io.raftdb.storage.LogStorage;
import java.util.Random;

/** The shared {@link LogStorage} contract, run against {@link MemoryLogStorage}. */
class MemoryLogStorageConformanceTest extends LogStorageConformanceTest {

  @Override
  protected LogStorage openEmpty(Random random) {
    return new MemoryLogStorage();
  }

  @Override
  protected LogStorage reopen(LogStorage store) {
    store.close();
    return ((MemoryLogStorage) store).durableCopy();
  }

  @Override
  protected boolean reopenKeepsUnsyncedWrites() {
    return false;
  }

  @Override
  protected int defaultSeeds() {
    return 100;
  }

  @Override
  protected int defaultOpsPerSeed() {
    return 2000;
  }
}
