package io.raftdb.server.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftdb.tcp.TlsFiles;
import io.raftdb.testkit.TestCertificates;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * RESP over mutual TLS with the cluster's PEM files: a Redis client holding a certificate the
 * cluster's CA signed is served; one without a certificate, one whose certificate another CA
 * signed, and one speaking plain TCP are not, and the port goes on serving after them.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RespTlsTest {
  private TestCertificates cluster;
  private TestCertificates rogue;
  private OneNodeStore store;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    cluster = new TestCertificates(dir, "cluster-ca");
    TestCertificates.Pem node = cluster.issue("node");
    cluster.issue("client");
    rogue = new TestCertificates(dir, "rogue-ca");
    rogue.issue("intruder");
    TlsFiles files = new TlsFiles(node.certificateChain(), node.privateKey(), node.authority());
    store = OneNodeStore.start(dir.resolve("node"), OneNodeStore.anyPort().withTls(files));
  }

  @AfterAll
  void stop() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aClientTheClusterSignedIsServed() throws Exception {
    try (Jedis jedis = over(cluster.sslContext("client"))) {
      assertEquals("OK", jedis.set("tls:k", "v"));
      assertEquals("v", jedis.get("tls:k"));
    }
  }

  @Test
  void everyOtherClientIsTurnedAwayAndThePortGoesOnServing() throws Exception {
    for (SSLContext stranger : new SSLContext[] {
        cluster.anonymousContext(), rogue.sslContext("intruder")}) {
      assertThrows(JedisConnectionException.class, () -> over(stranger).close());
    }
    assertThrows(JedisConnectionException.class, () -> {
      try (Jedis plain = new Jedis("127.0.0.1", store.port(), 10_000)) {
        plain.ping();
      }
    });
    try (Jedis jedis = over(cluster.sslContext("client"))) {
      assertEquals("PONG", jedis.ping());
    }
  }

  /** A connection over TLS; Jedis connects (and so shakes hands) at once. */
  private Jedis over(SSLContext tls) {
    return new Jedis(new HostAndPort("127.0.0.1", store.port()),
        DefaultJedisClientConfig.builder().ssl(true).sslSocketFactory(tls.getSocketFactory())
            .socketTimeoutMillis(10_000).connectionTimeoutMillis(10_000).build());
  }
}
