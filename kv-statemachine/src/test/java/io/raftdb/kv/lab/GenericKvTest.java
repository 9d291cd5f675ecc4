package io.raftdb.kv.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The labs' {@code GenericTest(part, nclients, nservers, unreliable, crash, partitions,
 * maxraftstate, randomkeys)}: three iterations of clients appending, putting and reading for five
 * seconds while a partitioner reshapes the network, then (optionally) every server crashes and
 * restarts; after each iteration every client's appends are checked (each exactly once, in
 * order), the persisted state against the limit, and at the end the whole history for
 * linearizability.
 */
final class GenericKvTest {
  private static final int ITERATIONS = 3;
  private static final long CLIENT_PHASE_MILLIS = 5_000;

  private final int nClients;
  private final int nServers;
  private final boolean unreliable;
  private final boolean crash;
  private final boolean partitions;
  private final int maxRaftState;
  private final boolean randomKeys;

  GenericKvTest(int nClients, int nServers, boolean unreliable, boolean crash,
      boolean partitions, int maxRaftState, boolean randomKeys) {
    this.nClients = nClients;
    this.nServers = nServers;
    this.unreliable = unreliable;
    this.crash = crash;
    this.partitions = partitions;
    this.maxRaftState = maxRaftState;
    this.randomKeys = randomKeys;
  }

  void run() throws Exception {
    LabHistory history = new LabHistory();
    ExecutorService threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "lab-client");
      t.setDaemon(true);
      return t;
    });
    try (KvLabCluster cfg = new KvLabCluster(nServers, unreliable, maxRaftState)) {
      LabKv.Clerk verifier = LabKv.clerk(cfg.makeClient(), history, 0);
      for (int iteration = 0; iteration < ITERATIONS; iteration++) {
        AtomicBoolean done = new AtomicBoolean();
        List<Future<Integer>> clients = new ArrayList<>();
        for (int c = 0; c < nClients; c++) {
          int client = c;
          LabKv.Clerk clerk = LabKv.clerk(cfg.makeClient(), history, client);
          clients.add(threads.submit(() -> clientLoop(client, clerk, done)));
        }
        Future<?> partitioner = null;
        AtomicBoolean stopPartitioner = new AtomicBoolean();
        if (partitions) {
          Thread.sleep(1000);
          partitioner = threads.submit(() -> partitioner(cfg, stopPartitioner));
        }
        Thread.sleep(CLIENT_PHASE_MILLIS);
        done.set(true);
        stopPartitioner.set(true);
        if (partitioner != null) {
          partitioner.get();
          cfg.connectAll();
          Thread.sleep(1000); // a new term settles; clients blocked in a minority complete
        }
        if (crash) {
          cfg.crashAndRestartAll();
        }
        for (int c = 0; c < nClients; c++) {
          int appended = clients.get(c).get(120, TimeUnit.SECONDS);
          String value = verifier.get(String.valueOf(c));
          if (!randomKeys) {
            checkClientAppends(c, value, appended);
          }
        }
        if (maxRaftState > 0) {
          assertLogsTrimmed(cfg);
        } else {
          assertEquals(0, cfg.snapshotSize(), "snapshot taken though maxraftstate is -1");
        }
      }
    } finally {
      threads.shutdownNow();
    }
    history.assertLinearizable();
  }

  /**
   * The labs check the persisted size right after the clients stop, against servers that
   * snapshot synchronously on their apply path. RaftDB applies and snapshots off the event loop
   * (capture on the apply thread, write in the background, compaction once it is durable), so
   * under a loaded machine the last writes' snapshot can still be on its way when the clients
   * stop. The bound must hold once that work has drained: a few seconds at most, far less than
   * a server that never trims would need to get under it.
   */
  private void assertLogsTrimmed(KvLabCluster cfg) throws InterruptedException {
    long limit = 8L * maxRaftState;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long size = cfg.logSize();
    while (size > limit && System.nanoTime() < deadline) {
      Thread.sleep(50);
      size = cfg.logSize();
    }
    assertTrue(size <= limit, "logs were not trimmed (" + size + " > 8*" + maxRaftState + ")");
  }

  /** One client: appends "x c j y" to its key (or random keys), sometimes puts, reads often. */
  private int clientLoop(int client, LabKv.Clerk clerk, AtomicBoolean done) {
    Random random = ThreadLocalRandom.current();
    String myKey = String.valueOf(client);
    String last = "";
    clerk.put(myKey, "");
    int j = 0;
    while (!done.get()) {
      String key = randomKeys ? String.valueOf(random.nextInt(nClients)) : myKey;
      String value = "x " + client + " " + j + " y";
      if (random.nextInt(1000) < 500) {
        clerk.append(key, value);
        if (!randomKeys) {
          last = last + value;
        }
        j++;
      } else if (randomKeys && random.nextInt(1000) < 100) {
        clerk.put(key, value);
        j++;
      } else {
        String got = clerk.get(key);
        if (!randomKeys && !got.equals(last)) {
          fail("get wrong value, key " + key + ", wanted:\n" + last + "\n, got\n" + got);
        }
      }
    }
    return j;
  }

  /** Splits the servers into two random groups every second or so until told to stop. */
  private static Object partitioner(KvLabCluster cfg, AtomicBoolean stop)
      throws InterruptedException {
    Random random = ThreadLocalRandom.current();
    while (!stop.get()) {
      Set<Integer> a = new HashSet<>();
      Set<Integer> b = new HashSet<>();
      for (int i = 0; i < cfg.n; i++) {
        (random.nextBoolean() ? a : b).add(i);
      }
      cfg.partition(a, b);
      Thread.sleep(1000 + random.nextInt(200));
    }
    return null;
  }

  /** Every "x c k y" for k < count appears exactly once, in increasing k. */
  static void checkClientAppends(int client, String value, int count) {
    int lastAt = -1;
    for (int k = 0; k < count; k++) {
      String wanted = "x " + client + " " + k + " y";
      int at = value.indexOf(wanted);
      if (at < 0) {
        fail(client + " missing element " + wanted + " in Append result " + value);
      }
      if (value.indexOf(wanted, at + 1) >= 0) {
        fail("duplicate element " + wanted + " in Append result");
      }
      if (at <= lastAt) {
        fail("wrong order for element " + wanted + " in Append result");
      }
      lastAt = at;
    }
  }
}
