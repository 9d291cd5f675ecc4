package io.raftdb.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.raftdb.NodeId;
import io.raftdb.message.ClientReply;
import io.raftdb.message.ClientRequest;
import io.raftdb.message.MessageCodec;
import io.raftdb.message.RaftMessage;
import io.raftdb.message.RequestVote;
import io.raftdb.testkit.Await;
import io.raftdb.testkit.FreePorts;
import io.raftdb.transport.Transport;
import io.raftdb.transport.TransportFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two or three endpoints on loopback, free ports, every one closed after each test. */
@Timeout(120)
class TcpTransportTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  private static final long WAIT_SECONDS = 30;
  private static final NodeId A = NodeId.of("a");
  private static final NodeId B = NodeId.of("b");
  private static final NodeId CLIENT = NodeId.of("client-1");

  private final List<Transport> open = new ArrayList<>();
  private final Map<NodeId, String> addresses = new LinkedHashMap<>();

  @AfterEach
  void closeAll() {
    open.forEach(Transport::close);
  }


  private void addresses() throws IOException {
    addresses.put(A, FreePorts.loopbackAddress());
    addresses.put(B, FreePorts.loopbackAddress());
  }

  private TcpTransport start(NodeId self, BlockingQueue<RaftMessage> inbox) {
    return start(self, inbox, Map.of());
  }

  private TcpTransport start(NodeId self, BlockingQueue<RaftMessage> inbox,
      Map<String, ?> options) {
    TcpTransport t = (TcpTransport) TransportFactory.named("tcp").create(self, addresses,
        options);
    open.add(t);
    t.start(inbox::add);
    return t;
  }

  private static RequestVote vote(NodeId from, long term) {
    return new RequestVote(0, from, term, 0, 0, false, false);
  }



  /** Sends until one arrives: the first messages may go before the connection is up. */
  private static RaftMessage sendUntilDelivered(Transport from, NodeId to, RaftMessage m,
      BlockingQueue<RaftMessage> inbox) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (System.nanoTime() < deadline) {
      from.send(to, m);
      RaftMessage got = inbox.poll(50, TimeUnit.MILLISECONDS);
      if (got != null) {
        return got;
      }
    }
    throw new AssertionError("nothing delivered to " + to);
  }

  @Test
  void membersExchangeMessagesBothWays() throws Exception {
    addresses();
    BlockingQueue<RaftMessage> inboxA = new LinkedBlockingQueue<>();
    BlockingQueue<RaftMessage> inboxB = new LinkedBlockingQueue<>();
    Transport a = start(A, inboxA);
    Transport b = start(B, inboxB);
    assertEquals(vote(A, 1), sendUntilDelivered(a, B, vote(A, 1), inboxB));
    assertEquals(vote(B, 2), sendUntilDelivered(b, A, vote(B, 2), inboxA));
    inboxB.clear();
    for (int i = 0; i < 10_000; i++) {
      a.send(B, vote(A, 100 + i));
    }
    Await.until("10,000 messages arrive", WAIT, () -> inboxB.size() == 10_000);
  }

  @Test
  void aMemberLearnedFromTheMembershipIsReachedAtItsAddress() throws Exception {
    addresses();
    BlockingQueue<RaftMessage> inboxA = new LinkedBlockingQueue<>();
    BlockingQueue<RaftMessage> inboxB = new LinkedBlockingQueue<>();
    Transport b = start(B, inboxB);
    String addressOfB = addresses.remove(B);
    Transport a = start(A, inboxA); // built knowing only itself
    a.send(B, vote(A, 1));
    assertEquals(1, ((TcpTransport) a).droppedMessages(), "no way to B yet");

    a.learnAddresses(Map.of(B, addressOfB, A, addresses.get(A), NodeId.of("c"), "no-port"));

    assertEquals(vote(A, 2), sendUntilDelivered(a, B, vote(A, 2), inboxB));
    assertEquals(vote(B, 3), sendUntilDelivered(b, A, vote(B, 3), inboxA),
        "and back");
  }

  @Test
  void aClientWithoutAnAddressGetsRepliesOverItsOwnConnection() throws Exception {
    addresses();
    BlockingQueue<RaftMessage> inboxA = new LinkedBlockingQueue<>();
    BlockingQueue<RaftMessage> inboxClient = new LinkedBlockingQueue<>();
    Transport a = start(A, inboxA);
    Transport client = start(CLIENT, inboxClient);
    sendUntilDelivered(client, A, vote(CLIENT, 1), inboxA);
    ClientReply reply = new ClientReply(0, A, 7, ClientReply.Status.OK, null, 3,
        new byte[] {1, 2, 3});
    a.send(CLIENT, reply);
    RaftMessage got = inboxClient.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertInstanceOf(ClientReply.class, got);
    assertEquals(7, ((ClientReply) got).callId());
  }

  /** A node's client port takes client messages and answers them; a member's message closes it. */
  @Test
  void theClientPortServesClientsOnly() throws Exception {
    addresses();
    int clientPort = FreePorts.any();
    BlockingQueue<RaftMessage> inboxA = new LinkedBlockingQueue<>();
    TcpTransport a = start(A, inboxA, Map.of(TcpOptions.CLIENT_ADDRESS,
        "127.0.0.1:" + clientPort));
    assertEquals(clientPort, a.clientAddress().getPort());
    Map<NodeId, String> viaClientPort = Map.of(A, "127.0.0.1:" + clientPort);
    TcpTransport client = (TcpTransport) TransportFactory.named("tcp").create(CLIENT,
        viaClientPort, Map.of());
    open.add(client);
    BlockingQueue<RaftMessage> inboxClient = new LinkedBlockingQueue<>();
    client.start(inboxClient::add);
    RaftMessage status = ClientRequest.status(0, CLIENT, 1);
    assertEquals(status, sendUntilDelivered(client, A, status, inboxA));
    a.send(CLIENT, new ClientReply(0, A, 1, ClientReply.Status.OK, null, 0, new byte[0]));
    assertInstanceOf(ClientReply.class, inboxClient.poll(WAIT_SECONDS, TimeUnit.SECONDS));

    long refusedBefore = a.refusedConnections();
    for (int i = 0; i < 20; i++) {
      client.send(A, vote(CLIENT, 50 + i));
    }
    Await.until("the member message is refused", WAIT,
        () -> a.refusedConnections() > refusedBefore);
    assertTrue(inboxA.stream().noneMatch(m -> m instanceof RequestVote),
        "a member's message on the client port was delivered");
  }

  @Test
  void garbageAndOversizedFramesCloseOnlyTheirConnection() throws Exception {
    addresses();
    BlockingQueue<RaftMessage> inboxA = new LinkedBlockingQueue<>();
    BlockingQueue<RaftMessage> inboxB = new LinkedBlockingQueue<>();
    TcpTransport a = start(A, inboxA, Map.of(TcpOptions.MAX_FRAME, 4096,
        TcpOptions.OUTBOUND_BUFFER, 1 << 20));
    Transport b = start(B, inboxB);
    sendUntilDelivered(b, A, vote(B, 1), inboxA);

    int port = Integer.parseInt(addresses.get(A).split(":")[1]);
    byte[] valid = MessageCodec.encode(vote(CLIENT, 5));
    byte[] corrupt = valid.clone();
    corrupt[corrupt.length - 1] ^= 1; // checksum
    byte[] oversized = {valid[0], valid[1], 0x00, 0x10, 0x00, 0x00}; // 1 MiB body
    byte[] negative = {valid[0], valid[1], (byte) 0x80, 0, 0, 0};
    for (byte[] attack : List.of(corrupt, oversized, negative, new byte[64])) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        OutputStream out = s.getOutputStream();
        out.write(attack);
        out.write(valid);
        out.flush();
        assertClosed(s.getInputStream());
      }
    }
    assertTrue(a.refusedConnections() >= 4, "refused " + a.refusedConnections());
    assertTrue(inboxA.stream().noneMatch(m -> m.from().equals(CLIENT)),
        "no message after a bad frame was delivered");
    inboxA.clear();
    assertEquals(vote(B, 9), sendUntilDelivered(b, A, vote(B, 9), inboxA),
        "the member's own connection still works");
  }

  /** The node closed the connection: end of stream, or a reset if it left bytes unread. */
  private static void assertClosed(InputStream in) {
    try {
      assertEquals(-1, in.read(), "the node closes the connection");
    } catch (IOException reset) {
      // closed with our bytes unread: fine
    }
  }

  @Test
  void sendingToADeadPeerNeverBlocksAndReconnectsWhenItIsBack() throws Exception {
    addresses();
    BlockingQueue<RaftMessage> inboxA = new LinkedBlockingQueue<>();
    TcpTransport a = start(A, inboxA, Map.of(TcpOptions.MAX_FRAME, 4096,
        TcpOptions.OUTBOUND_BUFFER, 64 * 1024));
    // B is down: a flood costs nothing but dropped messages.
    for (int i = 0; i < 100_000; i++) {
      a.send(B, vote(A, i + 1));
    }
    Await.until("messages to the dead peer are dropped", WAIT, () -> a.droppedMessages() > 0);

    BlockingQueue<RaftMessage> inboxB = new LinkedBlockingQueue<>();
    Transport b = start(B, inboxB);
    assertEquals(A, sendUntilDelivered(a, B, vote(A, 1), inboxB).from());
    b.close();
    BlockingQueue<RaftMessage> inboxB2 = new LinkedBlockingQueue<>();
    start(B, inboxB2);
    assertEquals(A, sendUntilDelivered(a, B, vote(A, 2), inboxB2).from(),
        "reconnected to the restarted peer");
  }

  @Test
  void aPortInUseIsRefusedWithItsAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      addresses.put(A, "127.0.0.1:" + taken.getLocalPort());
      TcpTransport t = (TcpTransport) TransportFactory.named("tcp").create(A, addresses,
          Map.of());
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> t.start(m -> { }));
      assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
    }
  }

  @Test
  void badAddressesAndOptionsAreRefusedByName() {
    addresses.put(A, "localhost");
    assertThrows(IllegalArgumentException.class,
        () -> TransportFactory.named("tcp").create(A, addresses, Map.of()));
    addresses.put(A, "127.0.0.1:99999");
    assertThrows(IllegalArgumentException.class,
        () -> TransportFactory.named("tcp").create(A, addresses, Map.of()));
    addresses.put(A, "127.0.0.1:7001");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TransportFactory.named("tcp").create(A, addresses,
            Map.of(TcpOptions.MAX_FRAME, "lots")));
    assertTrue(e.getMessage().contains(TcpOptions.MAX_FRAME), e.getMessage());
  }

  @Test
  void theNativeTransportLoadsOnLinux() {
    assumeTrue(System.getProperty("os.name").equals("Linux")
        && System.getProperty("os.arch").equals("amd64"));
    assertTrue(NettyIo.nativeEpoll(), () -> "epoll unavailable: "
        + io.netty.channel.epoll.Epoll.unavailabilityCause());
  }

  @Test
  void closeReleasesThePortAndTheThreads() throws Exception {
    addresses();
    Transport a = start(A, new LinkedBlockingQueue<>());
    Transport b = start(B, new LinkedBlockingQueue<>());
    a.close();
    b.close();
    int port = Integer.parseInt(addresses.get(A).split(":")[1]);
    try (ServerSocket again = new ServerSocket(port)) {
      assertEquals(port, again.getLocalPort());
    }
    Await.until("the I/O threads end", WAIT, () -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith("raftdb-tcp-")));
  }
}
