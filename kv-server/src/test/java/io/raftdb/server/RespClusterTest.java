package io.raftdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.raftdb.testkit.Await;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A three-process cluster through its RESP ports, with a real Redis client (Jedis) and Redis's own
 * tools: a write on one node is read on another, INFO names the leader, {@code redis-cli} and
 * {@code redis-benchmark} work unchanged, a killed leader costs errors for an election and loses
 * nothing acknowledged, and garbage sent to every node neither stops it nor loses a write.
 */
@Timeout(600)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RespClusterTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private ServerProcesses servers;

  /** On a failure, what each node printed last: the cluster's temporary folder is gone after. */
  @RegisterExtension
  final TestWatcher nodeOutputOnFailure = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      for (String id : servers.ids()) {
        System.err.println("--- " + id + " (running: " + servers.isRunning(id) + ") ---\n"
            + servers.tail(id));
      }
    }
  };

  @BeforeAll
  void startCluster(@TempDir Path dir) throws Exception {
    servers = new ServerProcesses(dir, 3);
    servers.startAll();
    for (String id : servers.ids()) {
      Await.until(id + " answers PING", PATIENCE, () -> ping(id));
    }
    Await.until("a leader", PATIENCE, () -> leader() != null);
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (servers != null) {
      servers.close();
    }
  }

  @Test
  @Order(1)
  void aWriteOnOneNodeIsReadOnEveryOther() {
    try (Jedis n1 = jedis("n1")) {
      assertEquals("OK", n1.set("greeting", "hello"));
    }
    for (String id : List.of("n2", "n3")) {
      try (Jedis other = jedis(id)) {
        assertEquals("hello", other.get("greeting"), id);
      }
    }
  }

  @Test
  @Order(2)
  void infoNamesTheSameLeaderOnEveryNode() throws InterruptedException {
    // A follower names the leader once the leader's first message has reached it.
    for (String id : servers.ids()) {
      Await.until(id + " knows a leader", PATIENCE, () -> leaderAmong(List.of(id)) != null);
    }
    String leader = leader();
    for (String id : servers.ids()) {
      try (Jedis j = jedis(id)) {
        Map<String, String> raft = fields(j.info("raft"));
        assertEquals(leader, raft.get("raft_leader"), id);
        assertEquals(id.equals(leader) ? "leader" : "follower", raft.get("raft_role"), id);
        assertEquals(id.equals(leader) ? "master" : "slave",
            fields(j.info("replication")).get("role"), id);
      }
    }
  }

  @Test
  @Order(3)
  void redisCliWorksUnchanged() throws Exception {
    assumeRedisTools();
    assertEquals("OK", redisCli("n1", "set", "cli:key", "cli value"));
    assertEquals("cli value", redisCli("n2", "get", "cli:key"));
    assertEquals("5", redisCli("n3", "incrby", "cli:counter", "5"));
    assertTrue(redisCli("n2", "--scan", "--pattern", "cli:*").lines().toList()
        .containsAll(List.of("cli:key", "cli:counter")));
    assertTrue(redisCli("n1", "info", "raft").contains("raft_commit_index:"));
    assertTrue(redisCli("n1", "nosuchcommand", "x").startsWith(
        "ERR unknown command 'nosuchcommand'"), "redis-cli shows Redis's own error");
  }

  @Test
  @Order(4)
  void redisBenchmarkRunsWithoutErrors() throws Exception {
    assumeRedisTools();
    for (List<String> extra : List.of(List.<String>of(), List.of("-P", "16"))) {
      List<String> command = new ArrayList<>(List.of("redis-benchmark", "-h", "127.0.0.1",
          "-p", String.valueOf(servers.respPort(leader())), "-t", "set,get", "-n", "3000",
          "-c", "64", "-d", "128", "-q"));
      command.addAll(extra);
      String output = run(command);
      assertTrue(output.contains("SET:") && output.contains("GET:"), output);
      assertFalse(output.contains("ERR") || output.contains("Error"), output);
    }
  }

  /**
   * Writers on every node; the leader is killed. Writes fail or wait for about an election, then
   * succeed again, and every acknowledged write is there afterwards, on every node.
   */
  @Test
  @Order(5)
  void aKilledLeaderLosesNothingAcknowledged() throws Exception {
    String leader = leader();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService threads = Executors.newCachedThreadPool();
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    List<Future<?>> writers = new ArrayList<>();
    for (String id : servers.ids()) {
      writers.add(threads.submit(() -> write(id, "kill:" + id + ":", stop, acknowledged)));
    }
    try {
      Await.until("writes acknowledged", PATIENCE, () -> acknowledged.size() > 30);
      servers.kill(leader);
      List<String> survivors = servers.ids().stream().filter(id -> !id.equals(leader)).toList();
      // until their election timeout, the survivors still name the dead leader
      Await.until("a new leader", PATIENCE, () -> {
        String successor = leaderAmong(survivors);
        return successor != null && !successor.equals(leader);
      });
      int electedAt = acknowledged.size();
      Await.until("writes go on under the new leader", PATIENCE,
          () -> acknowledged.size() > electedAt + 30);
    } finally {
      stop.set(true);
      threads.shutdown();
      threads.awaitTermination(2, TimeUnit.MINUTES);
    }
    for (Future<?> w : writers) {
      w.get();
    }
    servers.start(leader);
    Await.until(leader + " back", PATIENCE, () -> ping(leader));
    for (String id : servers.ids()) {
      try (Jedis j = jedis(id)) {
        List<String> keys = new ArrayList<>(acknowledged);
        Collections.sort(keys);
        for (String key : keys) {
          String value = answer(() -> j.get(key));
          assertEquals(key, value, key + " on " + id);
        }
      }
    }
  }

  /** Writes {@code prefix0, prefix1, …} through one node until stopped, noting those acknowledged. */
  private void write(String id, String prefix, AtomicBoolean stop, Set<String> acknowledged) {
    int n = 0;
    while (!stop.get()) {
      try (Jedis j = jedis(id)) {
        while (!stop.get()) {
          String key = prefix + n++;
          if ("OK".equals(j.set(key, key))) {
            acknowledged.add(key);
          }
        }
      } catch (JedisException expected) {
        // the node died, or the group had no leader for a while: the write may or may not
        // have applied; the next one is a new key
        sleepQuietly(50);
      }
    }
  }

  /**
   * Random bytes, truncated requests and oversized lengths at every node while a client writes:
   * each bad connection is closed, the nodes keep serving, and every acknowledged write is there.
   */
  @Test
  @Order(6)
  void garbageOnEveryNodeStopsNothingAndLosesNothing() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService threads = Executors.newSingleThreadExecutor();
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Future<?> writer = threads.submit(() -> write("n1", "fuzz:", stop, acknowledged));
    Random random = new Random(7);
    try {
      for (int round = 0; round < 60; round++) {
        for (String id : servers.ids()) {
          sendGarbage(servers.respPort(id), random);
        }
      }
      Await.until("writes through n1 acknowledged", PATIENCE, () -> acknowledged.size() > 10);
    } finally {
      stop.set(true);
      threads.shutdown();
    }
    writer.get(2, TimeUnit.MINUTES);
    for (String id : servers.ids()) {
      assertTrue(ping(id), id + " still serves");
      try (Jedis j = jedis(id)) {
        for (String key : acknowledged) {
          assertEquals(key, answer(() -> j.get(key)), key + " on " + id);
        }
      }
    }
  }

  private static void sendGarbage(int port, Random random) {
    byte[] bytes = switch (random.nextInt(4)) {
      case 0 -> randomBytes(random, 1 + random.nextInt(2000));
      case 1 -> truncate("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n", random);
      case 2 -> ("*2\r\n$3\r\nGET\r\n$" + (1L << 40) + "\r\nxyz").getBytes(StandardCharsets.UTF_8);
      default -> ("*" + (random.nextInt(3) - 1) + "\r\n$-7\r\n" + new String(
          randomBytes(random, 100), StandardCharsets.ISO_8859_1))
          .getBytes(StandardCharsets.ISO_8859_1);
    };
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write(bytes);
      out.flush();
      s.shutdownOutput();
      s.getInputStream().readAllBytes(); // until the node answers or closes
    } catch (IOException e) {
      // a reset or timeout on a connection the node closed: what garbage deserves
    }
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] truncate(String request, Random random) {
    byte[] full = request.getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.copyOf(full, 1 + random.nextInt(full.length - 1));
  }

  private Jedis jedis(String id) {
    return new Jedis("127.0.0.1", servers.respPort(id), 30_000);
  }

  private boolean ping(String id) {
    try (Jedis j = jedis(id)) {
      return "PONG".equals(j.ping());
    } catch (JedisException e) {
      return false;
    }
  }

  private String leader() {
    return leaderAmong(servers.ids());
  }

  /** The leader the first of {@code ids} that knows one names, or null. */
  private String leaderAmong(List<String> ids) {
    for (String id : ids) {
      try (Jedis j = jedis(id)) {
        String leader = fields(j.info("raft")).get("raft_leader");
        if (leader != null && !leader.isEmpty()) {
          return leader;
        }
      } catch (JedisException e) {
        // down
      }
    }
    return null;
  }

  private static Map<String, String> fields(String info) {
    Map<String, String> fields = new java.util.HashMap<>();
    info.lines().filter(l -> l.contains(":")).forEach(l -> fields.put(
        l.substring(0, l.indexOf(':')), l.substring(l.indexOf(':') + 1).trim()));
    return fields;
  }

  /**
   * Debian's redis-tools ({@code redis-cli}, {@code redis-benchmark}): {@code .ci/run} installs
   * them and sets {@code RAFTDB_REDIS_TOOLS=required}, so that in CI their absence fails; on a
   * machine without them these tests are skipped.
   */
  private static void assumeRedisTools() {
    boolean present = Stream.of("redis-cli", "redis-benchmark").allMatch(tool ->
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))));
    String hint = "redis-cli and redis-benchmark not found (apt-get install redis-tools)";
    if ("required".equals(System.getenv("RAFTDB_REDIS_TOOLS"))) {
      assertTrue(present, hint);
    }
    assumeTrue(present, hint);
  }

  private String redisCli(String id, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p",
        String.valueOf(servers.respPort(id))));
    command.addAll(List.of(args));
    return run(command).strip();
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(2, TimeUnit.MINUTES), String.join(" ", command));
      assertEquals(0, p.exitValue(), command + ": " + output);
      return output;
    } finally {
      p.destroyForcibly();
    }
  }

  /**
   * The first answer a node gives; only a failure to answer (a node still starting, an election)
   * is retried. A read is linearizable, so a wrong answer is never waited away.
   */
  private static String answer(java.util.function.Supplier<String> read) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      try {
        return read.get();
      } catch (JedisException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        sleepQuietly(100);
      }
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
