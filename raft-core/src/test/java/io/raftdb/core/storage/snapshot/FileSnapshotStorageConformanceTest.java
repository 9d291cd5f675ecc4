package io.raftdb.core.storage.snapshot;

import io.raftdb.storage.SnapshotStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The shared {@link SnapshotStorage} contract, run against {@link FileSnapshotStorage}. */
class FileSnapshotStorageConformanceTest extends SnapshotStorageConformanceTest {
  @TempDir
  Path root;
  private int stores;

  @Override
  protected SnapshotStorage openEmpty(int keep) {
    return FileSnapshotStorage.open(root.resolve("node-" + ++stores), keep);
  }

  @Override
  protected SnapshotStorage restart(SnapshotStorage store, int keep) {
    store.close();
    return FileSnapshotStorage.open(((FileSnapshotStorage) store).directory(), keep);
  }
}
