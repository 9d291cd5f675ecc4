package io.raftdb.server.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol.Command;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/** Each command through a real Redis client (Jedis), against a real node, answered as Redis would. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RespCommandsTest {
  private OneNodeStore store;
  private Jedis jedis;

  @BeforeAll
  void start(@TempDir Path dir) throws InterruptedException {
    store = OneNodeStore.start(dir, OneNodeStore.anyPort());
    jedis = new Jedis("127.0.0.1", store.port(), 30_000);
  }

  @AfterAll
  void stop() {
    if (jedis != null) {
      jedis.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void setAndGetWithTheirOptions() {
    assertEquals("OK", jedis.set("s:a", "1"));
    assertEquals("1", jedis.get("s:a"));
    assertNull(jedis.get("s:absent"));
    assertNull(jedis.set("s:a", "2", SetParams.setParams().nx()), "NX on a present key");
    assertEquals("OK", jedis.set("s:b", "1", SetParams.setParams().nx()));
    assertNull(jedis.set("s:c", "1", SetParams.setParams().xx()), "XX on an absent key");
    assertNull(jedis.get("s:c"));
    assertEquals("OK", jedis.set("s:a", "3", SetParams.setParams().xx()));
    assertEquals("3", jedis.setGet("s:a", "4"));
    assertEquals("4", jedis.getSet("s:a", "5"));
    assertEquals(0, jedis.setnx("s:a", "6"));
    assertEquals(1, jedis.setnx("s:d", "6"));
    assertEquals("5", jedis.get("s:a"));
    assertEquals(1, jedis.strlen("s:a"));
    assertEquals(0, jedis.strlen("s:absent"));
    JedisDataException expiry = assertThrows(JedisDataException.class,
        () -> jedis.set("s:e", "1", SetParams.setParams().ex(10)));
    assertTrue(expiry.getMessage().contains("do not expire"), expiry.getMessage());
    JedisDataException both = assertThrows(JedisDataException.class,
        () -> jedis.sendCommand(Command.SET, "s:e", "1", "NX", "XX"));
    assertEquals("ERR syntax error", both.getMessage());
    assertNull(jedis.get("s:e"), "a refused SET changes nothing");
  }

  @Test
  void appendCountsAndCreates() {
    assertEquals(3, jedis.append("a:k", "abc"));
    assertEquals(6, jedis.append("a:k", "def"));
    assertEquals("abcdef", jedis.get("a:k"));
  }

  @Test
  void integersBehaveAsRedisIntegers() {
    assertEquals(1, jedis.incr("i:n"));
    assertEquals(11, jedis.incrBy("i:n", 10));
    assertEquals(10, jedis.decr("i:n"));
    assertEquals(-5, jedis.decrBy("i:n", 15));
    jedis.set("i:text", "abc");
    assertEquals("ERR value is not an integer or out of range",
        assertThrows(JedisDataException.class, () -> jedis.incr("i:text")).getMessage());
    jedis.set("i:max", String.valueOf(Long.MAX_VALUE));
    assertEquals("ERR increment or decrement would overflow",
        assertThrows(JedisDataException.class, () -> jedis.incr("i:max")).getMessage());
    assertEquals(String.valueOf(Long.MAX_VALUE), jedis.get("i:max"));
  }

  @Test
  void multiKeyCommands() {
    assertEquals("OK", jedis.mset("m:a", "1", "m:b", "2", "m:c", "3"));
    assertEquals(List.of("1", "2", "3"), jedis.mget("m:a", "m:b", "m:c"));
    List<String> withGap = jedis.mget("m:a", "m:none", "m:c");
    assertEquals("1", withGap.get(0));
    assertNull(withGap.get(1));
    assertEquals(2, jedis.exists("m:a", "m:none", "m:b"));
    assertEquals(2, jedis.del("m:a", "m:b", "m:none"));
    assertEquals(0, jedis.exists("m:a", "m:b"));
    assertEquals("string", jedis.type("m:c"));
    assertEquals("none", jedis.type("m:a"));
    JedisDataException odd = assertThrows(JedisDataException.class,
        () -> jedis.sendCommand(Command.MSET, "m:x", "1", "m:y"));
    assertEquals("ERR wrong number of arguments for 'mset' command", odd.getMessage());
  }

  @Test
  void scanVisitsEveryMatchingKeyOnceAndKeysFindsThemAll() {
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 250; i++) {
      jedis.set("scan:" + i, "v");
      expected.add("scan:" + i);
      jedis.set("other:" + i, "v");
    }
    Set<String> seen = new HashSet<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    int steps = 0;
    do {
      ScanResult<String> page = jedis.scan(cursor, new ScanParams().match("scan:*").count(40));
      for (String key : page.getResult()) {
        assertTrue(seen.add(key), "once: " + key);
      }
      cursor = page.getCursor();
      steps++;
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    assertEquals(expected, seen);
    assertTrue(steps > 3, "COUNT bounds each step");
    assertEquals(expected, jedis.keys("scan:*"));
    Set<String> twoDigitSevens = jedis.keys("scan:?7");
    assertEquals(9, twoDigitSevens.size(), twoDigitSevens.toString());
    assertTrue(twoDigitSevens.contains("scan:17") && !twoDigitSevens.contains("scan:7"));
    assertEquals(Set.of("scan:1", "scan:2"), jedis.keys("scan:[12]"));
    assertTrue(jedis.dbSize() >= 500);
    JedisDataException bad = assertThrows(JedisDataException.class,
        () -> jedis.scan("123456789"));
    assertTrue(bad.getMessage().startsWith("ERR invalid cursor"), bad.getMessage());
  }

  @Test
  void binaryKeysAndValuesRoundTrip() {
    byte[] key = {0, '\r', '\n', (byte) 0xff, ' '};
    byte[] value = new byte[1000];
    new java.util.Random(1).nextBytes(value);
    assertEquals("OK", jedis.set(key, value));
    assertArrayEquals(value, jedis.get(key));
    assertEquals("OK", jedis.set("b:empty", ""));
    assertEquals("", jedis.get("b:empty"));
  }

  @Test
  void aValueAboveTheLimitIsRefusedAndTheConnectionGoesOn() {
    String big = "x".repeat((2 << 20) + 1);
    JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.set("big", big));
    assertTrue(e.getMessage().startsWith("ERR string exceeds maximum allowed size"),
        e.getMessage());
    assertEquals("PONG", jedis.ping());
  }

  @Test
  void aPipelineIsAnsweredInOrderAndEachReadSeesTheWritesBeforeIt() {
    Pipeline p = jedis.pipelined();
    List<Response<Long>> increments = new ArrayList<>();
    List<Response<String>> reads = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      increments.add(p.incr("p:counter"));
      reads.add(p.get("p:counter"));
      if (i % 50 == 0) {
        p.exists("p:other");
      }
    }
    p.sync();
    for (int i = 0; i < 500; i++) {
      assertEquals(i + 1, increments.get(i).get());
      assertEquals(String.valueOf(i + 1), reads.get(i).get());
    }
  }

  /**
   * A pipeline whose answers pass what one read may return (4 MiB) is read in several rounds,
   * each command whole: none of its commands is refused for the others' sake.
   */
  @Test
  void aPipelineOfLargeReadsIsAnsweredInFull() {
    String big = "b".repeat(1_500_000);
    assertEquals("OK", jedis.set("p:big", big));
    Pipeline p = jedis.pipelined();
    List<Response<String>> reads = new ArrayList<>();
    List<Response<List<String>>> multi = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      reads.add(p.get("p:big"));
      multi.add(p.mget("p:big", "p:absent"));
    }
    p.sync();
    for (int i = 0; i < 6; i++) {
      assertEquals(big, reads.get(i).get(), "GET " + i);
      assertEquals(Arrays.asList(big, null), multi.get(i).get(), "MGET " + i);
    }
  }

  @Test
  void connectionCommands() {
    assertEquals("PONG", jedis.ping());
    assertEquals("hi", jedis.ping("hi"));
    assertEquals("echo", jedis.echo("echo"));
    assertEquals("OK", jedis.select(0));
    assertEquals("ERR DB index is out of range",
        assertThrows(JedisDataException.class, () -> jedis.select(1)).getMessage());
    assertEquals("OK", jedis.clientSetname("tester"));
    assertEquals("tester", jedis.clientGetname());
    assertTrue(jedis.info().contains("raft_role:leader"));
    assertTrue(jedis.info("server").contains("redis_version:"));
    assertTrue((Long) jedis.sendCommand(Command.COMMAND, "COUNT")
        > 20);
  }

  @Test
  void unknownCommandsAndWrongArityGetRedissOwnErrors() {
    JedisDataException unknown = assertThrows(JedisDataException.class,
        () -> jedis.sendCommand(() -> "FOO".getBytes(), "bar", "baz"));
    assertEquals("ERR unknown command 'FOO', with args beginning with: 'bar' 'baz' ",
        unknown.getMessage());
    JedisDataException arity = assertThrows(JedisDataException.class,
        () -> jedis.sendCommand(Command.GET));
    assertEquals("ERR wrong number of arguments for 'get' command", arity.getMessage());
    assertEquals("PONG", jedis.ping(), "errors leave the connection usable");
  }

  @Test
  void authIsDemandedWhenAPasswordIsSet(@TempDir Path other) throws InterruptedException {
    try (OneNodeStore guarded = OneNodeStore.start(other,
            OneNodeStore.anyPort().withPassword("s3cret"));
        Jedis client = new Jedis("127.0.0.1", guarded.port(), 30_000)) {
      assertEquals("NOAUTH Authentication required.",
          assertThrows(JedisDataException.class, () -> client.get("k")).getMessage());
      assertTrue(assertThrows(JedisDataException.class, () -> client.auth("wrong"))
          .getMessage().startsWith("WRONGPASS"));
      assertEquals("OK", client.auth("s3cret"));
      assertEquals("OK", client.set("k", "v"));
      assertEquals("v", client.get("k"));
    }
    assertTrue(assertThrows(JedisDataException.class, () -> jedis.auth("x")).getMessage()
        .contains("without any password configured"));
  }

  /**
   * As Redis: the commands before a malformed request are carried out and answered, then the
   * error, then the connection closes; nothing after it runs.
   */
  @Test
  void aMalformedRequestIsAnsweredAfterWhatCameBeforeItThenTheConnectionCloses()
      throws Exception {
    try (Socket socket = new Socket("127.0.0.1", store.port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(("*3\r\n$3\r\nSET\r\n$4\r\npe:k\r\n$1\r\nv\r\n"
          + "PING\r\n"
          + "*1\r\n$-7\r\n"
          + "*3\r\n$3\r\nSET\r\n$4\r\npe:k\r\n$5\r\nafter\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String replies = new String(socket.getInputStream().readAllBytes(),
          StandardCharsets.US_ASCII);
      assertEquals("+OK\r\n+PONG\r\n-ERR Protocol error: invalid bulk length\r\n", replies);
    }
    assertEquals("v", jedis.get("pe:k"), "the request after the malformed one did not run");
  }
}
