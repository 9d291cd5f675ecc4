package io.raftdb.kv.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftdb.RaftClient;
import io.raftdb.ReadConsistency;
import io.raftdb.kv.ByteString;
import io.raftdb.kv.KvClient;
import io.raftdb.kv.KvCodec;
import io.raftdb.kv.KvQuery;
import io.raftdb.testkit.Await;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An {@code APPEND} whose replies are all lost is retried by its client while every server
 * applies it, snapshots past it and restarts from that snapshot: the retry gets the original
 * reply from the session table restored with the snapshot, and the value holds the append once.
 */
@Timeout(300)
class RetriedAppendAcrossRestartTest {
  private static final long WAIT_SECONDS = 120;
  private static final ByteString KEY = ByteString.utf8("k");

  @Test
  void aRetriedAppendIsAppliedOnceAcrossARestartFromASnapshot() throws Exception {
    try (KvLabCluster cfg = new KvLabCluster(3, false, 200)) {
      RaftClient appender = cfg.makeClient();
      KvClient kv = KvClient.of(appender);
      KvClient other = KvClient.of(cfg.makeClient());
      assertEquals(1, kv.append(KEY, ByteString.utf8("a")));

      cfg.setReplies(cfg.clerkNumber(appender), false);
      CompletableFuture<Long> retried = kv.appendAsync(KEY, ByteString.utf8("b"));
      for (int i = 0; i < cfg.n; i++) {
        int server = i;
        Await.until("server " + i + " applies the append", Duration.ofSeconds(WAIT_SECONDS),
            () -> "ab".equals(staleGet(cfg, server)));
      }
      long appendApplied = cfg.node(cfg.awaitLeader()).status().appliedIndex();
      // Other writes until every server has a durable snapshot that holds the append's reply.
      int filler = 0;
      while (!snapshotsCover(cfg, appendApplied)) {
        other.put(ByteString.utf8("filler" + filler++ % 10), ByteString.utf8("x".repeat(50)));
      }
      cfg.crashAndRestartAll();

      cfg.setReplies(cfg.clerkNumber(appender), true);
      assertEquals(2L, retried.get(WAIT_SECONDS, TimeUnit.SECONDS),
          "the retry must get the first application's reply");
      assertEquals(Optional.of(ByteString.utf8("ab")), kv.get(KEY));
    }
  }

  private static boolean snapshotsCover(KvLabCluster cfg, long index) {
    for (int i = 0; i < cfg.n; i++) {
      if (cfg.snapshotIndex(i) < index) {
        return false;
      }
    }
    return true;
  }

  private static String staleGet(KvLabCluster cfg, int server) {
    KvCodec codec = new KvCodec();
    KvQuery.Get get = KvQuery.get(KEY);
    try {
      byte[] r = cfg.node(server).query(codec.encode(get), ReadConsistency.STALE)
          .get(WAIT_SECONDS, TimeUnit.SECONDS);
      return codec.decodeResult(get, r).map(ByteString::toStringUtf8).orElse("");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
