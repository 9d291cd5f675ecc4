package io.raftdb.sim.scenario;

/**
 * The 2C persistence scenarios on RaftDB's on-disk storage (Chronicle Queue log, hard-state and
 * snapshot files) instead of the in-memory stores: crashes and restarts go through real files.
 */
class ChroniclePersistenceScenariosTest extends PersistenceScenariosTest {
  private static final StorageKind CHRONICLE = new ChronicleStorageKind();

  @Override
  StorageKind storageKind() {
    return CHRONICLE;
  }
}
