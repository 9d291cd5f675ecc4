package io.raftdb.sim.network;

import static io.raftdb.sim.network.Messages.A;
import static io.raftdb.sim.network.Messages.B;
import static io.raftdb.sim.network.Messages.C;
import static io.raftdb.sim.network.Messages.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.message.AppendEntries;
import io.raftdb.message.RaftMessage;
import io.raftdb.message.RequestVote;
import io.raftdb.message.RequestVoteResponse;
import io.raftdb.message.TimeoutNow;
import io.raftdb.sim.SimNetwork;
import io.raftdb.sim.SimTransport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** labrpc's Basic and Types tests: messages arrive, as copies, and only where they are sent. */
@Timeout(60)
class SimNetworkDeliveryTest {

  private final SimNetwork network = new SimNetwork(1);

  @AfterEach
  void closeNetwork() {
    network.close();
  }

  @Test
  void deliversADeepCopyWithEqualContent() {
    SimTransport a = network.transport(A);
    SimTransport b = network.transport(B);
    Inbox inboxB = new Inbox();
    a.start(new Inbox());
    b.start(inboxB);

    AppendEntries sent = request(A, 9, "hello".getBytes(StandardCharsets.UTF_8));
    a.send(B, sent);

    assertEquals(1, inboxB.size(), "a reliable, undelayed message arrives before send returns");
    AppendEntries received = (AppendEntries) inboxB.messages().get(0);
    assertEquals(sent, received);
    assertNotSame(sent, received);
    assertNotSame(sent.entries().get(0).payload(), received.entries().get(0).payload(),
        "the payload array is a copy, not shared between nodes");
  }

  @Test
  void deliversEveryKindOfMessage() {
    SimTransport a = network.transport(A);
    SimTransport b = network.transport(B);
    Inbox inboxB = new Inbox();
    a.start(new Inbox());
    b.start(inboxB);
    List<RaftMessage> sent = List.of(
        new RequestVote(1, A, 4, 10, 3, true, false),
        new RequestVoteResponse(1, A, 4, true, true),
        request(A, 1),
        Messages.reply(A, 2),
        new TimeoutNow(1, A, 4));

    sent.forEach(m -> a.send(B, m));

    assertEquals(sent, inboxB.messages());
  }

  @Test
  void deliversOnlyToTheAddressedNode() {
    SimTransport a = network.transport(A);
    SimTransport b = network.transport(B);
    SimTransport c = network.transport(C);
    Inbox inboxA = new Inbox();
    Inbox inboxB = new Inbox();
    Inbox inboxC = new Inbox();
    a.start(inboxA);
    b.start(inboxB);
    c.start(inboxC);

    a.send(C, request(A, 1));

    assertEquals(0, inboxA.size());
    assertEquals(0, inboxB.size());
    assertEquals(1, inboxC.size());
  }

  @Test
  void dropsAMessageToANodeThatNeverStarted() {
    SimTransport a = network.transport(A);
    network.transport(B);
    a.start(new Inbox());

    a.send(B, request(A, 1));
    a.send(C, request(A, 2));

    assertEquals(2, network.rpcTotal(), "both requests entered the network");
    assertEquals(0, network.rpcCount(B));
    assertEquals(0, network.rpcCount(C));
  }

  @Test
  void aThrowingHandlerDoesNotReachTheSender() {
    SimTransport a = network.transport(A);
    SimTransport b = network.transport(B);
    a.start(new Inbox());
    b.start(m -> {
      throw new IllegalStateException("handler bug (expected by the test)");
    });

    a.send(B, request(A, 1));

    assertEquals(1, network.rpcCount(B));
  }

  @Test
  void aClosedNetworkIgnoresSendsAndStopsItsThread() {
    SimTransport a = network.transport(A);
    SimTransport b = network.transport(B);
    Inbox inboxB = new Inbox();
    a.start(new Inbox());
    b.start(inboxB);
    network.setLongReordering(true);
    for (int i = 0; i < 30; i++) {
      a.send(B, Messages.reply(A, i));
    }
    int deliveredAtOnce = inboxB.size();
    assertTrue(network.inFlight() > 0, "some replies are held back");
    assertTrue(schedulerThreadAlive(), "held-back replies wait on the scheduler thread");

    network.close();
    a.send(B, request(A, 99));

    assertEquals(0, network.inFlight(), "closing drops everything in flight");
    assertEquals(deliveredAtOnce, inboxB.size());
    assertTrue(network.isClosed());
    long deadline = System.nanoTime() + Quiet.TIMEOUT.toNanos();
    while (schedulerThreadAlive()) {
      assertTrue(System.nanoTime() < deadline, "the scheduler thread has stopped");
      Quiet.pause();
    }
    assertThrows(IllegalStateException.class, () -> network.transport(C));
  }

  @Test
  void aNetworkWithoutSeedExposesTheOneItPicked() {
    try (SimNetwork picked = new SimNetwork()) {
      assertTrue(picked.toString().contains(Long.toString(picked.seed())));
    }
    try (SimNetwork fixed = new SimNetwork(42)) {
      assertEquals(42, fixed.seed());
    }
  }

  private static boolean schedulerThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().equals("raftdb-sim-net-1-delivery"));
  }

  @Test
  void rejectsNullArguments() {
    SimTransport a = network.transport(A);
    assertThrows(NullPointerException.class, () -> a.start(null));
    assertThrows(NullPointerException.class, () -> a.send(null, request(A, 1)));
    assertThrows(NullPointerException.class, () -> a.send(B, null));
    assertThrows(NullPointerException.class, () -> network.transport(null));
    assertSame(network, a.network());
  }
}
