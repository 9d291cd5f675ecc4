package io.raftdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftdb.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A server given its RESP password in the environment ({@code RAFTDB_RESP_PASSWORD}, which other
 * users cannot read in the process list, unlike {@code --resp-password}) demands AUTH.
 */
@Timeout(120)
class RespPasswordTest {
  @Test
  void thePasswordFromTheEnvironmentIsDemanded(@TempDir Path dir) throws Exception {
    try (ServerProcesses server = new ServerProcesses(dir, 1)) {
      server.environment.put("RAFTDB_RESP_PASSWORD", "s3cret");
      server.startAll();
      int port = server.respPort("n1");
      Await.until("n1 serves RESP", Duration.ofSeconds(60), () -> {
        try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
          return "OK".equals(j.auth("s3cret")) && "OK".equals(j.set("k", "v"));
        } catch (JedisException notYet) {
          return false;
        }
      });
      try (Jedis j = new Jedis("127.0.0.1", port, 10_000)) {
        assertEquals("NOAUTH Authentication required.",
            assertThrows(JedisDataException.class, () -> j.get("k")).getMessage());
        assertEquals("OK", j.auth("s3cret"));
        assertEquals("v", j.get("k"));
      }
    }
  }
}
