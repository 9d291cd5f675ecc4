package io.raftdb.core.storage.snapshot;

import io.raftdb.storage.SnapshotStorage;

/** The shared {@link SnapshotStorage} contract, run against {@link MemorySnapshotStorage}. */
class MemorySnapshotStorageConformanceTest extends SnapshotStorageConformanceTest {

  @Override
  protected SnapshotStorage openEmpty(int keep) {
    return new MemorySnapshotStorage(keep);
  }

  @Override
  protected SnapshotStorage restart(SnapshotStorage store, int keep) {
    store.close();
    return ((MemorySnapshotStorage) store).durableCopy();
  }
}
