package io.raftdb.sim.network;

import static io.raftdb.sim.network.Messages.A;
import static io.raftdb.sim.network.Messages.B;
import static io.raftdb.sim.network.Messages.reply;
import static io.raftdb.sim.network.Messages.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.message.RaftMessage;
import io.raftdb.sim.SimNetwork;
import io.raftdb.sim.SimTransport;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * labrpc's Killed test and DeleteServer semantics: a closed transport is a crashed node, and
 * nothing in flight crosses from one incarnation to the next (mit-6824-tests.md §1.7).
 */
@Timeout(60)
class SimNetworkCrashTest {

  private static final int REPLIES = 30;

  private final SimNetwork network = new SimNetwork(10);

  @AfterEach
  void closeNetwork() {
    network.close();
  }

  @Test
  void aClosedTransportReceivesNothing() {
    SimTransport a = network.transport(A);
    SimTransport b = network.transport(B);
    Inbox inboxB = new Inbox();
    a.start(new Inbox());
    b.start(inboxB);
    a.send(B, request(A, 1));

    b.close();
    a.send(B, request(A, 2));

    assertEquals(1, inboxB.size());
    assertEquals(1, network.rpcCount(B));
    assertEquals(2, network.rpcTotal());
  }

  @Test
  void aClosedTransportSendsNothing() {
    SimTransport a = network.transport(A);
    SimTransport b = network.transport(B);
    Inbox inboxB = new Inbox();
    a.start(new Inbox());
    b.start(inboxB);

    a.close();
    a.close();
    a.send(B, request(A, 1));

    assertEquals(0, inboxB.size());
    assertEquals(0, network.rpcTotal(), "a crashed node puts nothing on the network");
  }

  @Test
  void aRestartedNodeDoesNotReceiveWhatWasInFlightToItsPreviousIncarnation() {
    network.setLongReordering(true);
    SimTransport a = network.transport(A);
    SimTransport oldB = network.transport(B);
    Inbox oldInbox = new Inbox();
    a.start(new Inbox());
    oldB.start(oldInbox);
    for (int i = 0; i < REPLIES; i++) {
      a.send(B, reply(A, i));
    }
    int deliveredBeforeCrash = oldInbox.size();
    assertTrue(network.inFlight() > 0, "some replies are held back");

    oldB.close();
    SimTransport newB = network.transport(B);
    Inbox newInbox = new Inbox();
    newB.start(newInbox);
    Quiet.await(network);

    assertEquals(0, newInbox.size(), "the new incarnation got its predecessor's messages");
    assertEquals(deliveredBeforeCrash, oldInbox.size(), "the crashed incarnation got messages");
    a.send(B, request(A, 100));
    assertEquals(1, newInbox.size(), "new messages reach the new incarnation");
  }

  @Test
  void whatACrashedNodeSentIsNotDeliveredAfterTheCrash() {
    network.setLongReordering(true);
    int[] delivered = sendThenCrashSender(i -> reply(B, i));
    assertEquals(delivered[0], delivered[1],
        "a reply from a crashed node must never be delivered (labrpc DeleteServer)");
  }

  /** As a labrpc call under way still reaches its server after the caller was killed. */
  @Test
  void aRequestInFlightFromACrashedNodeStillArrives() {
    network.setReliable(false); // requests are held back 0-26 ms (and 10% lost)
    int[] delivered = sendThenCrashSender(i -> request(B, i));
    assertTrue(delivered[1] > delivered[0], "requests sent before the crash must still arrive");
  }

  /**
   * B sends {@value #REPLIES} messages to A, some of which the network holds back, then crashes;
   * returns how many A had received at the crash and once the network is quiet.
   */
  private int[] sendThenCrashSender(LongFunction<RaftMessage> message) {
    SimTransport a = network.transport(A);
    SimTransport b = network.transport(B);
    Inbox inboxA = new Inbox();
    a.start(inboxA);
    b.start(new Inbox());
    for (int i = 0; i < REPLIES; i++) {
      b.send(A, message.apply(i));
    }
    int deliveredBeforeCrash = inboxA.size();
    assertTrue(network.inFlight() > 0, "some messages are held back");
    b.close();
    Quiet.await(network);
    return new int[] {deliveredBeforeCrash, inboxA.size()};
  }

  @Test
  void onlyOneIncarnationOfANodeMayBeStarted() {
    SimTransport first = network.transport(B);
    first.start(new Inbox());
    SimTransport second = network.transport(B);

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> second.start(new Inbox()));
    assertTrue(e.getMessage().contains("b"), e.getMessage());

    first.close();
    second.start(new Inbox());
    assertThrows(IllegalStateException.class, () -> second.start(new Inbox()),
        "a transport starts once");
    second.close();
    assertThrows(IllegalStateException.class, () -> second.start(new Inbox()),
        "a closed transport cannot be restarted; a restarted node gets a new one");
  }

  @Test
  void perNodeCountsSurviveARestart() {
    SimTransport a = network.transport(A);
    a.start(new Inbox());
    SimTransport oldB = network.transport(B);
    oldB.start(new Inbox());
    a.send(B, request(A, 1));
    oldB.close();
    network.transport(B).start(new Inbox());
    a.send(B, request(A, 2));

    assertEquals(2, network.rpcCount(B));
  }
}
