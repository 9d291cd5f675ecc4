package io.raftdb.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.message.MessageCodec;
import io.raftdb.message.RaftMessage;
import io.raftdb.message.RequestVote;
import io.raftdb.testkit.FreePorts;
import io.raftdb.testkit.TestCertificates;
import io.raftdb.transport.Transport;
import io.raftdb.transport.TransportFactory;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS: members holding certificates of the cluster's CA talk; a party with a certificate
 * of another CA, or without TLS, can neither send to a member nor read what a member sends.
 */
@Timeout(180)
class TcpTlsTest {
  private static final NodeId A = NodeId.of("a");
  private static final NodeId B = NodeId.of("b");
  private static final NodeId ROGUE = NodeId.of("client-rogue");

  @TempDir
  static Path dir;
  private static TlsFiles memberA;
  private static TlsFiles memberB;
  private static TlsFiles rogue;

  private final List<Transport> open = new ArrayList<>();
  private final Map<NodeId, String> addresses = new LinkedHashMap<>();

  @BeforeAll
  static void certificates() throws Exception {
    TestCertificates cluster = new TestCertificates(dir, "cluster-ca");
    memberA = files(cluster.issue("a"));
    memberB = files(cluster.issue("b"));
    rogue = files(new TestCertificates(dir, "rogue-ca").issue("rogue"));
  }

  private static TlsFiles files(TestCertificates.Pem pem) {
    return new TlsFiles(pem.certificateChain(), pem.privateKey(), pem.authority());
  }

  @AfterEach
  void closeAll() {
    open.forEach(Transport::close);
  }

  private Transport start(NodeId self, TlsFiles tls, BlockingQueue<RaftMessage> inbox) {
    Transport t = TransportFactory.named("tcp").create(self, addresses,
        Map.of(TcpOptions.TLS, tls));
    open.add(t);
    t.start(inbox::add);
    return t;
  }

  private static RequestVote vote(NodeId from, long term) {
    return new RequestVote(0, from, term, 0, 0, false, false);
  }

  /** Sends for two seconds; what arrived, or null. */
  private static RaftMessage trySend(Transport from, NodeId to, BlockingQueue<RaftMessage> inbox)
      throws InterruptedException {
    for (int i = 0; i < 40; i++) {
      from.send(to, vote(NodeId.of("x"), i + 1));
      RaftMessage got = inbox.poll(50, TimeUnit.MILLISECONDS);
      if (got != null) {
        return got;
      }
    }
    return null;
  }

  @Test
  void membersOfTheClusterTalkOverTls() throws Exception {
    addresses.put(A, FreePorts.loopbackAddress());
    addresses.put(B, FreePorts.loopbackAddress());
    BlockingQueue<RaftMessage> inboxA = new LinkedBlockingQueue<>();
    BlockingQueue<RaftMessage> inboxB = new LinkedBlockingQueue<>();
    Transport a = start(A, memberA, inboxA);
    start(B, memberB, inboxB);
    RaftMessage got = null;
    for (int i = 0; i < 15 && got == null; i++) { // 30 s
      got = trySend(a, B, inboxB);
    }
    assertTrue(got instanceof RequestVote, "a member's message crosses TLS");
  }

  @Test
  void aPartyWithAnotherCasCertificateCanNeitherSendNorRead() throws Exception {
    addresses.put(A, FreePorts.loopbackAddress());
    addresses.put(B, FreePorts.loopbackAddress());
    BlockingQueue<RaftMessage> inboxA = new LinkedBlockingQueue<>();
    BlockingQueue<RaftMessage> inboxRogue = new LinkedBlockingQueue<>();
    TcpTransport a = (TcpTransport) start(A, memberA, inboxA);
    // The rogue poses as member b (listening on b's address) and as a client.
    Transport rogueB = start(B, rogue, inboxRogue);
    Transport rogueClient = start(ROGUE, rogue, new LinkedBlockingQueue<>());
    assertNull(trySend(rogueB, A, inboxA), "a rogue member injected a message");
    assertNull(trySend(rogueClient, A, inboxA), "a rogue client injected a message");
    assertNull(trySend(a, B, inboxRogue), "a rogue member read a message");
    assertTrue(a.refusedConnections() > 0, "the failed handshakes are counted");
  }

  @Test
  void plainTcpIsRefused() throws Exception {
    int port = FreePorts.any();
    addresses.put(A, "127.0.0.1:" + port);
    BlockingQueue<RaftMessage> inboxA = new LinkedBlockingQueue<>();
    start(A, memberA, inboxA);
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      for (int i = 0; i < 10; i++) {
        out.write(MessageCodec.encode(vote(ROGUE, i + 1)));
      }
      out.flush();
      s.setSoTimeout(30_000);
      try {
        while (s.getInputStream().read() >= 0) {
          // whatever the handshake answers, until the member hangs up
        }
      } catch (java.io.IOException reset) {
        // hung up with our bytes unread
      }
    }
    assertEquals(0, inboxA.size(), "a plain-TCP sender injected a message");
  }
}
