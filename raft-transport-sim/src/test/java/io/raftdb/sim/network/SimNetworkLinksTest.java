package io.raftdb.sim.network;

import static io.raftdb.sim.network.Messages.A;
import static io.raftdb.sim.network.Messages.B;
import static io.raftdb.sim.network.Messages.C;
import static io.raftdb.sim.network.Messages.D;
import static io.raftdb.sim.network.Messages.E;
import static io.raftdb.sim.network.Messages.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.sim.SimNetwork;
import io.raftdb.sim.SimTransport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * labrpc's Disconnect and Regression1 tests and the harnesses' connect, disconnect and partition
 * helpers (mit-6824-tests.md §1.5).
 */
@Timeout(60)
class SimNetworkLinksTest {

  private static final List<NodeId> ALL = List.of(A, B, C, D, E);

  private final SimNetwork network = new SimNetwork(2);
  private final Map<NodeId, SimTransport> transports = new HashMap<>();
  private final Map<NodeId, Inbox> inboxes = new HashMap<>();

  @BeforeEach
  void startFiveNodes() {
    for (NodeId id : ALL) {
      SimTransport transport = network.transport(id);
      Inbox inbox = new Inbox();
      transport.start(inbox);
      transports.put(id, transport);
      inboxes.put(id, inbox);
    }
  }

  @AfterEach
  void closeNetwork() {
    network.close();
  }

  /** Sends one request from {@code from} to {@code to} and says whether it arrived. */
  private boolean reaches(NodeId from, NodeId to) {
    int before = inboxes.get(to).size();
    transports.get(from).send(to, request(from, 0));
    return inboxes.get(to).size() == before + 1;
  }

  @Test
  void aDisconnectedNodeNeitherSendsNorReceives() {
    network.disconnect(B);

    assertFalse(reaches(A, B));
    assertFalse(reaches(B, A));
    assertTrue(reaches(A, C));
    assertFalse(network.isConnected(B));
    assertTrue(network.isConnected(A));
  }

  @Test
  void reconnectingRestoresDelivery() {
    network.disconnect(B);
    network.connect(B);

    assertTrue(reaches(A, B));
    assertTrue(reaches(B, A));
    assertTrue(network.isConnected(B));
  }

  @Test
  void twoDisconnectedNodesCannotReachEachOther() {
    network.disconnect(B);
    network.disconnect(C);

    assertFalse(reaches(B, C));
    assertFalse(reaches(C, B));
  }

  @Test
  void connectLinksOnlyToNodesMarkedConnected() {
    network.disconnect(B);
    network.disconnect(C);
    network.connect(B);

    assertTrue(reaches(A, B));
    assertTrue(reaches(B, A));
    assertFalse(reaches(B, C), "C is still disconnected");
    assertFalse(reaches(C, B));

    network.connect(C);
    assertTrue(reaches(B, C));
  }

  @Test
  void aNodeFirstSeenAfterADisconnectCannotReachTheDisconnectedNode() {
    network.disconnect(B);
    NodeId late = NodeId.of("late");
    SimTransport lateTransport = network.transport(late);
    Inbox lateInbox = new Inbox();
    lateTransport.start(lateInbox);

    lateTransport.send(B, request(late, 1));
    transports.get(B).send(late, request(B, 2));
    lateTransport.send(A, request(late, 3));

    assertEquals(0, inboxes.get(B).size());
    assertEquals(0, lateInbox.size());
    assertEquals(1, inboxes.get(A).size());
  }

  @Test
  void messagesSentWhileDisconnectedAreNotDeliveredLater() {
    network.disconnect(B);
    for (int i = 0; i < 20; i++) {
      transports.get(A).send(B, request(A, i));
    }
    network.connect(B);
    transports.get(A).send(B, request(A, 100));

    assertEquals(1, network.rpcCount(B), "only the request sent after reconnecting is delivered");
    assertEquals(21, network.rpcTotal(), "every request entered the network");
  }

  @Test
  void aLinkCanBeCutInOneDirection() {
    network.setLink(A, B, false);

    assertFalse(reaches(A, B));
    assertTrue(reaches(B, A));
    assertFalse(network.isLinkEnabled(A, B));
    assertTrue(network.isLinkEnabled(B, A));

    network.setLink(A, B, true);
    assertTrue(reaches(A, B));
  }

  @Test
  void aPartitionConnectsEachGroupInsideAndCutsItFromTheOther() {
    network.partition(Set.of(A, B), Set.of(C, D, E));

    assertTrue(reaches(A, B));
    assertTrue(reaches(B, A));
    assertTrue(reaches(C, E));
    assertTrue(reaches(E, D));
    for (NodeId x : List.of(A, B)) {
      for (NodeId y : List.of(C, D, E)) {
        assertFalse(reaches(x, y), x + " -> " + y);
        assertFalse(reaches(y, x), y + " -> " + x);
      }
    }
  }

  @Test
  void aNewPartitionReplacesTheOldOneAndHealsDisconnects() {
    network.disconnect(A);
    network.partition(Set.of(A, C), Set.of(B, D, E));
    network.partition(Set.of(A, B), Set.of(C, D, E));

    assertTrue(reaches(A, B));
    assertFalse(reaches(A, C));
    assertTrue(reaches(C, D));
    assertTrue(network.isConnected(A));
  }

  @Test
  void connectAllHealsEverything() {
    network.partition(Set.of(A, B), Set.of(C, D, E));
    network.disconnect(D);
    network.setLink(E, C, false);

    network.connectAll();

    for (NodeId x : ALL) {
      for (NodeId y : ALL) {
        if (!x.equals(y)) {
          assertTrue(reaches(x, y), x + " -> " + y);
        }
      }
    }
  }

  @Test
  void aPartitionRejectsOverlappingGroups() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> network.partition(Set.of(A, B), Set.of(B, C)));
    assertTrue(e.getMessage().contains("b"), e.getMessage());
    assertTrue(reaches(A, C), "a rejected partition changes nothing");
  }

  /** labrpc checks a link when a call starts: a held-back message still arrives after a cut. */
  @Test
  void aHeldBackMessageIsDeliveredEvenIfItsLinkIsCutMeanwhile() {
    network.setLongReordering(true);
    int replies = 30;
    for (int i = 0; i < replies; i++) {
      transports.get(A).send(B, Messages.reply(A, i));
    }
    assertTrue(network.inFlight() > 0, "some replies are held back");

    network.setLink(A, B, false);
    Quiet.await(network);

    assertEquals(replies, inboxes.get(B).size());
    transports.get(A).send(B, Messages.reply(A, replies));
    assertEquals(replies, inboxes.get(B).size(), "a message sent over a cut link is dropped");
  }
}
