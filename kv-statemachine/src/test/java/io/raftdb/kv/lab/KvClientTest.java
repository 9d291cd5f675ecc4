package io.raftdb.kv.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.ReadConsistency;
import io.raftdb.kv.ByteString;
import io.raftdb.kv.CasResult;
import io.raftdb.kv.KvClient;
import io.raftdb.kv.KvError;
import io.raftdb.kv.KvException;
import io.raftdb.kv.KvLimits;
import io.raftdb.kv.KvQuery;
import io.raftdb.kv.ScanPage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link KvClient} against a three-server store on the simulated network. */
@Timeout(300)
class KvClientTest {
  private final KvLabCluster cfg = new KvLabCluster(3, false, -1);
  private final KvClient kv = KvClient.of(cfg.makeClient());

  @AfterEach
  void close() {
    cfg.close();
  }

  private static ByteString b(String s) {
    return ByteString.utf8(s);
  }

  @Test
  void everyOperationReturnsWhatTheStoreAnswers() {
    assertEquals(Optional.empty(), kv.get(b("a")));
    assertEquals(Optional.empty(), kv.put(b("a"), b("1")));
    assertEquals(Optional.of(b("1")), kv.put(b("a"), b("2")));
    assertEquals(3, kv.append(b("a"), b("34")));
    assertEquals(Optional.of(b("234")), kv.get(b("a")));
    assertEquals(new CasResult(false, Optional.of(b("234"))),
        kv.compareAndSet(b("a"), b("nope"), b("x")));
    assertTrue(kv.compareAndSet(b("a"), b("234"), b("x")).succeeded());
    kv.put(b("b"), b("y"));
    kv.put(b("c"), b("z"));
    assertEquals(3, kv.count());
    ScanPage page = kv.scan(b("a"), 2);
    assertEquals(List.of(b("a"), b("b")), page.entries().stream().map(e -> e.key()).toList());
    assertEquals(Optional.of(b("c")), page.nextKey());
    assertEquals(Optional.of(b("x")), kv.delete(b("a")));
    assertEquals(Optional.empty(), kv.query(KvQuery.get(b("a")), ReadConsistency.LEASE));
  }

  @Test
  void asynchronousCallsCompleteInOrderForOneCaller() throws Exception {
    List<CompletableFuture<Long>> appends = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      appends.add(kv.appendAsync(b("log"), b(".")));
    }
    for (int i = 0; i < 100; i++) {
      assertEquals(i + 1, appends.get(i).get(60, TimeUnit.SECONDS));
    }
    assertEquals(100, kv.getAsync(b("log")).get(60, TimeUnit.SECONDS).orElseThrow().size());
  }

  @Test
  void refusalsAreKvExceptionsAndChangeNothing() throws Exception {
    int max = KvLimits.defaults().maxValueBytes();
    assertThrows(IllegalArgumentException.class,
        () -> kv.put(b("big"), ByteString.copyOf(new byte[max + 1])), "refused before sending");
    kv.put(b("big"), ByteString.copyOf(new byte[max]));
    KvException tooLong = assertThrows(KvException.class, () -> kv.append(b("big"), b("!")));
    assertEquals(KvError.VALUE_TOO_LARGE, tooLong.error());
    ExecutionException async = assertThrows(ExecutionException.class,
        () -> kv.appendAsync(b("big"), b("!")).get(60, TimeUnit.SECONDS));
    assertTrue(async.getCause() instanceof KvException, async.toString());
    assertEquals(max, kv.get(b("big")).orElseThrow().size());
    assertFalse(kv.compareAndSet(b("big"), b("x"), b("y")).succeeded());
  }
}
