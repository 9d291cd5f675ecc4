package io.raftdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.RaftClient;
import io.raftdb.kv.ByteString;
import io.raftdb.kv.KvClient;
import io.raftdb.testkit.linearizability.CheckResult;
import io.raftdb.testkit.linearizability.KvModel;
import io.raftdb.testkit.linearizability.LinearizabilityChecker;
import io.raftdb.testkit.linearizability.Operation;
import io.raftdb.testkit.linearizability.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three server processes under concurrent load through {@link KvClient}; the leader, or a
 * follower, is killed with {@code kill -9} and restarted on its data directory, twenty times.
 * Every acknowledged append is present exactly once, in its client's order, and the whole
 * history is linearizable.
 */
@Timeout(900)
class KillNineTest {
  private static final int CYCLES = 20;
  private static final int CLIENTS = 3;

  @TempDir
  Path dir;

  private final List<Operation<KvModel.Input, String>> history =
      Collections.synchronizedList(new ArrayList<>());

  @Test
  void acknowledgedWritesSurviveKillNineOfLeadersAndFollowers() throws Exception {
    ExecutorService threads = Executors.newCachedThreadPool();
    try (ServerProcesses servers = new ServerProcesses(dir, 3)) {
      servers.startAll();
      List<KvClient> clients = new ArrayList<>();
      for (int c = 0; c <= CLIENTS; c++) {
        clients.add(KvClient.of(RaftClient.builder()
            .members(new ArrayList<>(servers.peers.addresses().keySet()))
            .transport("tcp", servers.peers.addresses())
            .callTimeout(Duration.ofSeconds(60)).build()));
      }
      KvClient probe = clients.get(CLIENTS);
      probe.put(ByteString.utf8("probe"), ByteString.utf8("")); // waits for the first leader

      AtomicBoolean done = new AtomicBoolean();
      List<Future<List<String>>> loads = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        loads.add(threads.submit(() -> load(client, clients.get(client), done)));
      }
      Random random = new Random(42);
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        Thread.sleep(200 + random.nextInt(300));
        probe.put(ByteString.utf8("probe"), ByteString.utf8(String.valueOf(cycle)));
        String leader = probe.raftClient().leader().map(NodeId::value).orElseThrow();
        String victim = leader;
        if (cycle % 2 == 1) {
          List<String> others = new ArrayList<>(servers.ids());
          others.remove(leader);
          victim = others.get(random.nextInt(others.size()));
          assertNotEquals(leader, victim);
        }
        servers.kill(victim);
        Thread.sleep(random.nextInt(500));
        servers.start(victim);
      }
      done.set(true);
      for (int c = 0; c < CLIENTS; c++) {
        List<String> acknowledged = loads.get(c).get(120, TimeUnit.SECONDS);
        String value = probe.get(ByteString.utf8("k" + c)).map(ByteString::toStringUtf8)
            .orElse("");
        assertAppliedOnceInOrder(acknowledged, value);
        assertTrue(acknowledged.size() > CYCLES, "client " + c + " made progress: "
            + acknowledged.size() + " appends");
      }
      for (String id : servers.ids()) {
        assertTrue(servers.isRunning(id), id + " is running:\n" + servers.tail(id));
      }
      clients.forEach(KvClient::close);
    } finally {
      threads.shutdownNow();
    }
    System.err.printf("%d cycles: %d operations, %d of unknown outcome%n", CYCLES, history.size(),
        history.stream().filter(o -> !o.outcomeKnown()).count());
    CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, List.copyOf(history),
        Duration.ofSeconds(60));
    assertNotEquals(Verdict.NOT_LINEARIZABLE, r.verdict(), r.explanation());
  }

  /** Appends numbered pieces to its own key and reads it back; returns the acknowledged ones. */
  private List<String> load(int client, KvClient kv, AtomicBoolean done) {
    String key = "k" + client;
    List<String> acknowledged = new ArrayList<>();
    for (int i = 0; !done.get(); i++) {
      String piece = "[" + client + "." + i + "]";
      KvModel.Input append = KvModel.Input.append(key, piece);
      long call = System.nanoTime();
      try {
        kv.append(ByteString.utf8(key), ByteString.utf8(piece));
        history.add(Operation.completed(client, append, "", call, System.nanoTime()));
        acknowledged.add(piece);
      } catch (RuntimeException e) {
        history.add(Operation.unknown(client, append, call));
      }
      if (i % 4 == 0) {
        long readCall = System.nanoTime();
        try {
          String v = kv.get(ByteString.utf8(key)).map(ByteString::toStringUtf8).orElse("");
          history.add(Operation.completed(client, KvModel.Input.get(key), v, readCall,
              System.nanoTime()));
        } catch (RuntimeException e) {
          // a read that failed says nothing
        }
      }
    }
    return acknowledged;
  }

  /** Each acknowledged piece once, in order; an unacknowledged one at most once. */
  private static void assertAppliedOnceInOrder(List<String> acknowledged, String value) {
    int at = -1;
    for (String piece : acknowledged) {
      int found = value.indexOf(piece);
      assertTrue(found >= 0, "acknowledged " + piece + " is lost");
      assertEquals(-1, value.indexOf(piece, found + 1), piece + " applied twice");
      assertTrue(found > at, piece + " out of order");
      at = found;
    }
  }
}
