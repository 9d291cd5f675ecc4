package io.raftdb.kv.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The labs' kvraft part B tests (snapshots, {@code maxraftstate} 1000) on RaftDB's KV store: the
 * persisted Raft state of every server stays within 8 × maxraftstate, and the snapshots carry the
 * session table, so duplicate detection survives restarts and installed snapshots.
 */
@Timeout(180)
class KvScenarios3BTest {
  private static final int MAX_RAFT_STATE = 1000;

  /**
   * TestSnapshotRPC3B: a server cut off while the majority writes and compacts must catch up
   * from an installed snapshot.
   */
  @Test
  void snapshotRpc() throws Exception {
    try (KvLabCluster cfg = new KvLabCluster(3, false, MAX_RAFT_STATE)) {
      LabKv.Clerk ck = LabKv.clerk(cfg.makeClient(), null, 0);
      ck.put("a", "A");
      assertEquals("A", ck.get("a"));

      // a bunch of puts into the majority partition
      cfg.partition(List.of(0, 1), List.of(2));
      LabKv.Clerk ck1 = LabKv.clerk(cfg.makeClient(List.of(0, 1)), null, 1);
      for (int i = 0; i < 50; i++) {
        ck1.put(String.valueOf(i), String.valueOf(i));
      }
      Thread.sleep(1000);
      ck1.put("b", "B");
      long size = cfg.logSize();
      assertTrue(size <= 8L * MAX_RAFT_STATE, "logs were not trimmed (" + size + ")");

      // now make the group that requires participation of the lagging server
      cfg.partition(List.of(0, 2), List.of(1));
      LabKv.Clerk ck2 = LabKv.clerk(cfg.makeClient(List.of(0, 2)), null, 2);
      ck2.put("c", "C");
      ck2.put("d", "D");
      assertEquals("A", ck2.get("a"));
      assertEquals("B", ck2.get("b"));
      assertEquals("1", ck2.get("1"));
      assertEquals("49", ck2.get("49"));

      // now everybody
      cfg.connectAll();
      ck.put("e", "E");
      assertEquals("C", ck.get("c"));
      assertEquals("E", ck.get("e"));
      assertEquals("1", ck.get("1"));
    }
  }

  /**
   * TestSnapshotSize3B: 800 operations on one key; the Raft state stays trimmed and the snapshot
   * holds the live state and a small session table, not a history of requests.
   */
  @Test
  void snapshotSize() throws Exception {
    try (KvLabCluster cfg = new KvLabCluster(3, false, MAX_RAFT_STATE)) {
      LabKv.Clerk ck = LabKv.clerk(cfg.makeClient(), null, 0);
      for (int i = 0; i < 200; i++) {
        ck.put("x", "0");
        assertEquals("0", ck.get("x"));
        ck.put("x", "1");
        assertEquals("1", ck.get("x"));
      }
      long size = cfg.logSize();
      assertTrue(size <= 8L * MAX_RAFT_STATE, "logs were not trimmed (" + size + ")");
      long snapshot = cfg.snapshotSize();
      assertTrue(snapshot <= 500, "snapshot too large (" + snapshot + " > 500)");
    }
  }

  /** TestSpeed3B: as TestSpeed3A, with snapshots. */
  @Test
  void speed() throws Exception {
    SpeedTest.run(MAX_RAFT_STATE);
  }

  /** TestSnapshotRecover3B: one client, crashes, snapshots. */
  @Test
  void snapshotRecover() throws Exception {
    new GenericKvTest(1, 5, false, true, false, MAX_RAFT_STATE, false).run();
  }

  /** TestSnapshotRecoverManyClients3B: twenty clients, crashes, snapshots. */
  @Test
  void snapshotRecoverManyClients() throws Exception {
    new GenericKvTest(20, 5, false, true, false, MAX_RAFT_STATE, false).run();
  }

  /** TestSnapshotUnreliable3B: five clients on an unreliable network, snapshots. */
  @Test
  void snapshotUnreliable() throws Exception {
    new GenericKvTest(5, 5, true, false, false, MAX_RAFT_STATE, false).run();
  }

  /** TestSnapshotUnreliableRecover3B: unreliable network, crashes, snapshots. */
  @Test
  void snapshotUnreliableRecover() throws Exception {
    new GenericKvTest(5, 5, true, true, false, MAX_RAFT_STATE, false).run();
  }

  /** TestSnapshotUnreliableRecoverConcurrentPartition3B: and partitions. */
  @Test
  void snapshotUnreliableRecoverConcurrentPartition() throws Exception {
    new GenericKvTest(5, 5, true, true, true, MAX_RAFT_STATE, false).run();
  }

  /**
   * TestSnapshotUnreliableRecoverConcurrentPartitionLinearizable3B: fifteen clients on random
   * keys, seven servers, everything at once; linearizability is the only check on values.
   */
  @Test
  void snapshotUnreliableRecoverConcurrentPartitionLinearizable() throws Exception {
    new GenericKvTest(15, 7, true, true, true, MAX_RAFT_STATE, true).run();
  }
}
