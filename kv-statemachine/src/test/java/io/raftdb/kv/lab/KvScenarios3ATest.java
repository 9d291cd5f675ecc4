package io.raftdb.kv.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The labs' kvraft part A tests (no snapshots) on RaftDB's KV store: real nodes, clerks that are
 * {@code RaftClient}s, every request and reply through the simulated network, each history
 * checked for linearizability.
 */
@Timeout(180)
class KvScenarios3ATest {

  /** TestBasic3A: one client, five servers, reliable. */
  @Test
  void basic() throws Exception {
    new GenericKvTest(1, 5, false, false, false, -1, false).run();
  }

  /** TestSpeed3A: 1000 sequential appends at three or more per heartbeat interval. */
  @Test
  void speed() throws Exception {
    SpeedTest.run(-1);
  }

  /** TestConcurrent3A: five clients, five servers. */
  @Test
  void concurrent() throws Exception {
    new GenericKvTest(5, 5, false, false, false, -1, false).run();
  }

  /** TestUnreliable3A: five clients on an unreliable network. */
  @Test
  void unreliable() throws Exception {
    new GenericKvTest(5, 5, true, false, false, -1, false).run();
  }

  /**
   * TestUnreliableOneKey3A: five clients append ten values each to one key on an unreliable
   * network; every value once, in each client's order (duplicate suppression of retries).
   */
  @Test
  void unreliableOneKey() throws Exception {
    try (KvLabCluster cfg = new KvLabCluster(3, true, -1)) {
      LabKv.Clerk ck = LabKv.clerk(cfg.makeClient(), null, 0);
      ck.put("k", "");
      int clients = 5;
      int each = 10;
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int me = c;
        LabKv.Clerk mine = LabKv.clerk(cfg.makeClient(), null, me);
        done.add(CompletableFuture.runAsync(() -> {
          for (int n = 0; n < each; n++) {
            mine.append("k", "x " + me + " " + n + " y");
          }
        }));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      String value = ck.get("k");
      for (int c = 0; c < clients; c++) {
        GenericKvTest.checkClientAppends(c, value, each);
      }
    }
  }

  /**
   * TestOnePartition3A: the leader ends up in a minority; the majority makes progress, the
   * minority's clerks make none, and after healing the minority's put is applied after the
   * majority's writes, never lost.
   */
  @Test
  void onePartition() throws Exception {
    try (KvLabCluster cfg = new KvLabCluster(5, false, -1)) {
      LabKv.Clerk ck = LabKv.clerk(cfg.makeClient(), null, 0);
      ck.put("1", "13");
      cfg.awaitLeader();
      List<List<Integer>> p = cfg.makePartition();
      List<Integer> majority = p.get(0);
      List<Integer> minority = p.get(1);
      cfg.partition(majority, minority);
      LabKv.Clerk ckMajority = LabKv.clerk(cfg.makeClient(majority), null, 1);
      var clerk2 = cfg.makeClient(minority);
      var clerk3 = cfg.makeClient(minority);
      LabKv.Clerk ckMinority2 = LabKv.clerk(clerk2, null, 2);
      LabKv.Clerk ckMinority3 = LabKv.clerk(clerk3, null, 3);

      // progress in majority
      ckMajority.put("1", "14");
      assertEquals("14", ckMajority.get("1"));

      // no progress in minority
      CompletableFuture<Void> put = CompletableFuture.runAsync(() -> ckMinority2.put("1", "15"));
      CompletableFuture<String> get = CompletableFuture.supplyAsync(() -> ckMinority3.get("1"));
      Thread.sleep(1000);
      assertFalse(put.isDone(), "put in minority completed");
      assertFalse(get.isDone(), "get in minority completed");
      assertEquals("14", ckMajority.get("1"));
      ckMajority.put("1", "16");
      assertEquals("16", ckMajority.get("1"));

      // completion after heal
      cfg.connectAll();
      cfg.connectClient(cfg.clerkNumber(clerk2), cfg.all());
      cfg.connectClient(cfg.clerkNumber(clerk3), cfg.all());
      put.get(60, TimeUnit.SECONDS); // completes once a majority is reachable again
      assertEquals("15", ck.get("1"));
    }
  }

  /** TestManyPartitionsOneClient3A: one client while the partitioner reshapes the network. */
  @Test
  void manyPartitionsOneClient() throws Exception {
    new GenericKvTest(1, 5, false, false, true, -1, false).run();
  }

  /** TestManyPartitionsManyClients3A: five clients under partitions. */
  @Test
  void manyPartitionsManyClients() throws Exception {
    new GenericKvTest(5, 5, false, false, true, -1, false).run();
  }

  /** TestPersistOneClient3A: one client, every server crashes and restarts each iteration. */
  @Test
  void persistOneClient() throws Exception {
    new GenericKvTest(1, 5, false, true, false, -1, false).run();
  }

  /** TestPersistConcurrent3A: five clients, crashes. */
  @Test
  void persistConcurrent() throws Exception {
    new GenericKvTest(5, 5, false, true, false, -1, false).run();
  }

  /** TestPersistConcurrentUnreliable3A: five clients, crashes, unreliable network. */
  @Test
  void persistConcurrentUnreliable() throws Exception {
    new GenericKvTest(5, 5, true, true, false, -1, false).run();
  }

  /** TestPersistPartition3A: five clients, crashes, partitions. */
  @Test
  void persistPartition() throws Exception {
    new GenericKvTest(5, 5, false, true, true, -1, false).run();
  }

  /** TestPersistPartitionUnreliable3A: five clients, crashes, partitions, unreliable network. */
  @Test
  void persistPartitionUnreliable() throws Exception {
    new GenericKvTest(5, 5, true, true, true, -1, false).run();
  }

  /**
   * TestPersistPartitionUnreliableLinearizable3A: fifteen clients on random keys, seven servers,
   * crashes, partitions, unreliable network; linearizability is the only check on values.
   */
  @Test
  void persistPartitionUnreliableLinearizable() throws Exception {
    new GenericKvTest(15, 7, true, true, true, -1, true).run();
  }

  static void assertContains(String value, String part) {
    assertTrue(value.contains(part), value + " lacks " + part);
  }
}
