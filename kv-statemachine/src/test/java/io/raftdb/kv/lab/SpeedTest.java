package io.raftdb.kv.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The labs' {@code GenericTestSpeed}: after one untimed Get, 1000 sequential Appends to one key
 * must average at most a third of the heartbeat interval (the labs' 100 ms / 3), and a final Get
 * must hold all of them in order. Reported, not timed as a benchmark: the bound is the labs' own
 * functional requirement (commits must not wait for heartbeats), two orders of magnitude above
 * what RaftDB needs, so a loaded machine does not make it flaky.
 */
final class SpeedTest {
  private static final int OPS = 1000;
  private static final long LAB_HEARTBEAT_MILLIS = 100;

  private SpeedTest() {}

  static void run(int maxRaftState) throws Exception {
    try (KvLabCluster cfg = new KvLabCluster(3, false, maxRaftState)) {
      LabKv.Clerk ck = LabKv.clerk(cfg.makeClient(), null, 0);
      ck.get("x");
      long start = System.nanoTime();
      for (int i = 0; i < OPS; i++) {
        ck.append("x", "x 0 " + i + " y");
      }
      long perOpNanos = (System.nanoTime() - start) / OPS;
      GenericKvTest.checkClientAppends(0, ck.get("x"), OPS);
      long limitNanos = LAB_HEARTBEAT_MILLIS * 1_000_000 / 3;
      assertTrue(perOpNanos <= limitNanos, "operations completed too slowly: "
          + perOpNanos / 1000 + " µs/op > " + limitNanos / 1000 + " µs/op");
    }
  }
}
