package io.raftdb.testkit.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.message.AppendEntries;
import io.raftdb.message.LogEntry;
import io.raftdb.message.RaftMessage;
import io.raftdb.message.RequestVote;
import io.raftdb.transport.Transport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link Transport} must do, as one JUnit suite: extend it, say how to make fresh
 * addresses and a transport of your kind, and it runs against yours. Delivery is checked without
 * assuming any order; loss is tolerated only where the contract allows it (before a connection
 * exists, to a dead peer, above the size limit).
 *
 * <pre>{@code
 * class MyTransportConformanceTest extends TransportConformanceTest {
 *   protected Map<NodeId, String> newAddresses(List<NodeId> ids) { ... }
 *   protected Transport create(NodeId self, Map<NodeId, String> addresses) { ... }
 * }
 * }</pre>
 */
@Timeout(120)
public abstract class TransportConformanceTest {
  private static final long WAIT_SECONDS = 30;
  private static final NodeId A = NodeId.of("conformance-a");
  private static final NodeId B = NodeId.of("conformance-b");
  private static final NodeId CLIENT = NodeId.of("client-conformance");

  private final List<Transport> open = new ArrayList<>();

  /**
   * Addresses for members {@code ids} that no other test uses (free ports, a fresh network
   * name). Ids not given an address (clients) are not passed here.
   */
  protected abstract Map<NodeId, String> newAddresses(List<NodeId> ids) throws Exception;

  /** A new, unstarted transport of the kind under test for {@code self}. */
  protected abstract Transport create(NodeId self, Map<NodeId, String> addresses);

  @AfterEach
  void closeAll() {
    open.forEach(Transport::close);
  }

  private Transport start(NodeId self, Map<NodeId, String> addresses,
      BlockingQueue<RaftMessage> inbox) {
    Transport t = create(self, addresses);
    open.add(t);
    t.start(inbox::add);
    return t;
  }

  private static RequestVote vote(NodeId from, long term) {
    return new RequestVote(0, from, term, 0, 0, false, false);
  }

  /** Sends until one message arrives: the first may go before a connection exists. */
  private static void connect(Transport from, NodeId to, NodeId self,
      BlockingQueue<RaftMessage> inbox) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (System.nanoTime() < deadline) {
      from.send(to, vote(self, 1));
      if (inbox.poll(20, TimeUnit.MILLISECONDS) != null) {
        Thread.sleep(50);
        inbox.clear();
        return;
      }
    }
    throw new AssertionError(self + " never reached " + to);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting until " + what);
      }
      Thread.sleep(5);
    }
  }

  private static Set<Long> terms(BlockingQueue<RaftMessage> inbox) {
    Set<Long> terms = new HashSet<>();
    inbox.forEach(m -> terms.add(m.term()));
    return terms;
  }

  @Test
  void onceConnectedEveryMessageArrivesInEitherDirection() throws Exception {
    Map<NodeId, String> addresses = newAddresses(List.of(A, B));
    BlockingQueue<RaftMessage> inboxA = new LinkedBlockingQueue<>();
    BlockingQueue<RaftMessage> inboxB = new LinkedBlockingQueue<>();
    Transport a = start(A, addresses, inboxA);
    Transport b = start(B, addresses, inboxB);
    connect(a, B, A, inboxB);
    connect(b, A, B, inboxA);
    Set<Long> sent = new HashSet<>();
    for (long term = 10; term < 2_010; term++) {
      a.send(B, vote(A, term));
      b.send(A, vote(B, term));
      sent.add(term);
    }
    await("2000 messages each way", () -> inboxA.size() >= 2_000 && inboxB.size() >= 2_000);
    assertEquals(sent, terms(inboxA));
    assertEquals(sent, terms(inboxB));
  }

  @Test
  void aMemberAnswersAClientThatHasNoAddress() throws Exception {
    Map<NodeId, String> addresses = newAddresses(List.of(A));
    BlockingQueue<RaftMessage> inboxA = new LinkedBlockingQueue<>();
    BlockingQueue<RaftMessage> inboxClient = new LinkedBlockingQueue<>();
    Transport a = start(A, addresses, inboxA);
    Transport client = start(CLIENT, addresses, inboxClient);
    connect(client, A, CLIENT, inboxA);
    a.send(CLIENT, vote(A, 77));
    RaftMessage reply = inboxClient.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertTrue(reply != null && reply.term() == 77, "reply " + reply);
  }

  @Test
  void aRestartedPeerIsReachedAgain() throws Exception {
    Map<NodeId, String> addresses = newAddresses(List.of(A, B));
    BlockingQueue<RaftMessage> inboxA = new LinkedBlockingQueue<>();
    BlockingQueue<RaftMessage> inboxB = new LinkedBlockingQueue<>();
    Transport a = start(A, addresses, inboxA);
    Transport b = start(B, addresses, inboxB);
    connect(a, B, A, inboxB);
    b.close();
    BlockingQueue<RaftMessage> inboxB2 = new LinkedBlockingQueue<>();
    start(B, addresses, inboxB2);
    connect(a, B, A, inboxB2);
  }

  /** A flood to a member that is down returns at once, message after message. */
  @Test
  @Timeout(60)
  void sendingToADeadPeerNeverBlocks() throws Exception {
    Map<NodeId, String> addresses = newAddresses(List.of(A, B));
    Transport a = start(A, addresses, new LinkedBlockingQueue<>());
    for (int i = 0; i < 200_000; i++) {
      a.send(B, vote(A, i + 1));
    }
    BlockingQueue<RaftMessage> inboxB = new LinkedBlockingQueue<>();
    start(B, addresses, inboxB);
    connect(a, B, A, inboxB);
  }

  /** Above {@link Transport#maxMessageBytes()} a message is dropped, not thrown or sent. */
  @Test
  void aMessageAboveTheLimitIsDroppedAndTheRestStillFlows() throws Exception {
    Map<NodeId, String> addresses = newAddresses(List.of(A, B));
    BlockingQueue<RaftMessage> inboxA = new LinkedBlockingQueue<>();
    BlockingQueue<RaftMessage> inboxB = new LinkedBlockingQueue<>();
    Transport a = start(A, addresses, inboxA);
    start(B, addresses, inboxB);
    connect(a, B, A, inboxB);
    byte[] huge = new byte[a.maxMessageBytes()];
    a.send(B, new AppendEntries(0, A, 5, 0, 0, 0, 1,
        List.of(LogEntry.command(1, 5, huge))));
    a.send(B, vote(A, 9));
    RaftMessage next = inboxB.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertTrue(next instanceof RequestVote && next.term() == 9, "got " + next);
  }

  /** After close, the same address can be taken again and messages to it are dropped. */
  @Test
  void closeReleasesTheAddress() throws Exception {
    Map<NodeId, String> addresses = newAddresses(List.of(A, B));
    BlockingQueue<RaftMessage> inboxB = new LinkedBlockingQueue<>();
    Transport a = start(A, addresses, new LinkedBlockingQueue<>());
    start(B, addresses, inboxB);
    connect(a, B, A, inboxB);
    a.close();
    a.close(); // idempotent
    a.send(B, vote(A, 3)); // dropped, no exception
    BlockingQueue<RaftMessage> inboxA2 = new LinkedBlockingQueue<>();
    Transport a2 = start(A, addresses, inboxA2);
    connect(a2, B, A, inboxB);
  }
}
