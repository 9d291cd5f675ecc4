package io.raftdb.testkit.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.message.AppendEntries;
import io.raftdb.message.LogEntry;
import io.raftdb.message.RaftMessage;
import io.raftdb.message.RequestVote;
import io.raftdb.testkit.Await;
import io.raftdb.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
  private static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);
  /**
   * The term of the messages sent until a connection exists; any of them may still arrive later,
   * so every check below ignores them.
   */
  private static final long WARM_UP = 1;
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

  /** Sends warm-up messages until one arrives: the first may go before a connection exists. */
  private static void connect(Transport from, NodeId to, NodeId self,
      BlockingQueue<RaftMessage> inbox) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (System.nanoTime() < deadline) {
      from.send(to, vote(self, WARM_UP));
      if (next(inbox, 20, TimeUnit.MILLISECONDS, true) != null) {
        return;
      }
    }
    throw new AssertionError(self + " never reached " + to);
  }

  /** The next message, skipping warm-up ones unless {@code warmUpToo}; null if none in time. */
  private static RaftMessage next(BlockingQueue<RaftMessage> inbox, long timeout, TimeUnit unit,
      boolean warmUpToo) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      RaftMessage m = inbox.poll(left, TimeUnit.NANOSECONDS);
      if (m != null && (warmUpToo || m.term() != WARM_UP)) {
        return m;
      }
    }
    return null;
  }

  /** The terms of the messages received, warm-up ones left out. */
  private static Set<Long> terms(BlockingQueue<RaftMessage> inbox) {
    Set<Long> terms = new HashSet<>();
    inbox.forEach(m -> terms.add(m.term()));
    terms.remove(WARM_UP);
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
    Await.until("2000 messages each way", WAIT,
        () -> terms(inboxA).size() == 2_000 && terms(inboxB).size() == 2_000);
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
    RaftMessage reply = next(inboxClient, WAIT_SECONDS, TimeUnit.SECONDS, false);
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
    RaftMessage next = next(inboxB, WAIT_SECONDS, TimeUnit.SECONDS, false);
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
