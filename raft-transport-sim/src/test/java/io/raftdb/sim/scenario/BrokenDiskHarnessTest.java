package io.raftdb.sim.scenario;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A test of the harness, not of RaftDB: the 2C persistence scenarios on a disk that acknowledges
 * before its sync completes ({@link LateSyncStorageKind}). They are expected to FAIL (lost or
 * differing committed entries): a crash keeps what was durable at the crash instant, so it can
 * fall between an acknowledgement and its sync. Switched on explicitly:
 *
 * <pre>./mvnw -pl raft-transport-sim test -Dtest=BrokenDiskHarnessTest -Draftdb.harness.broken=late-sync</pre>
 */
@EnabledIfSystemProperty(named = "raftdb.harness.broken", matches = "late-sync")
class BrokenDiskHarnessTest extends PersistenceScenariosTest {
  private static final StorageKind LATE_SYNC = new LateSyncStorageKind();

  @Override
  StorageKind storageKind() {
    return LATE_SYNC;
  }
}
