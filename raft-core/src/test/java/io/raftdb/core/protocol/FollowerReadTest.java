package io.raftdb.core.protocol;

import static io.raftdb.core.protocol.ProtocolCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.NotLeaderException;
import io.raftdb.ReadConsistency;
import io.raftdb.message.ReadIndexRequest;
import io.raftdb.message.ReadIndexResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Linearizable reads served by followers through the leader's read index (thesis §6.4). */
class FollowerReadTest {

  @Test
  void aFollowerReadWaitsForTheLeadersConfirmedCommitIndex() {
    ProtocolCluster c = new ProtocolCluster(3, 43);
    NodeId leader = c.electLeader();
    NodeId follower = otherThan(c, leader);
    c.tickAll();
    c.node(leader).propose(bytes("w"));
    c.deliverAll();
    long commit = c.node(leader).commitIndex();
    c.node(follower).readIndex(9, ReadConsistency.LINEARIZABLE);
    c.process();
    assertTrue(c.reads.get(follower).isEmpty(), "not before the leader answers");
    c.deliverAll();
    assertEquals(List.of(new ReadState(9, commit)), c.reads.get(follower));
    assertTrue(c.reads.get(leader).isEmpty(), "the leader keeps the follower's read to itself");
  }

  @Test
  void aLeaseReadOfAFollowerIsAnsweredFromTheLeadersLease() {
    ProtocolCluster c = new ProtocolCluster(3, 47);
    NodeId leader = c.electLeader();
    NodeId follower = otherThan(c, leader);
    c.tickAll();
    c.tickAll();
    c.node(follower).readIndex(3, ReadConsistency.LEASE);
    c.process();
    // One message there and one back: no heartbeat round in between.
    c.deliverAll(o -> o.message() instanceof ReadIndexRequest
        || o.message() instanceof ReadIndexResponse);
    assertEquals(1, c.reads.get(follower).size());
  }

  @Test
  void aFollowerThatKnowsNoLeaderRefusesAtOnce() {
    ProtocolCluster c = new ProtocolCluster(3, 53);
    NodeId any = c.id(1);
    assertThrows(NotLeaderException.class,
        () -> c.node(any).readIndex(1, ReadConsistency.LINEARIZABLE));
  }

  @Test
  void aReadForwardedToAnIsolatedLeaderIsDroppedAfterAnElectionTimeout() {
    ProtocolCluster c = new ProtocolCluster(3, 59);
    NodeId leader = c.electLeader();
    NodeId follower = otherThan(c, leader);
    c.tickAll();
    c.isolated.add(leader);
    c.node(follower).readIndex(4, ReadConsistency.LINEARIZABLE);
    c.process();
    c.deliverAll();
    for (int i = 0; i < ProtocolCluster.CONFIG.electionTicks(); i++) {
      c.tick(follower, 1);
    }
    assertEquals(List.of(4L), c.droppedReads.get(follower));
    assertTrue(c.reads.get(follower).isEmpty());
  }

  @Test
  void aNewTermDropsTheReadsTheOldLeaderWasAsked() {
    ProtocolCluster c = new ProtocolCluster(3, 61);
    NodeId leader = c.electLeader();
    NodeId follower = otherThan(c, leader);
    c.tickAll();
    c.isolated.add(leader);
    c.node(follower).readIndex(6, ReadConsistency.LINEARIZABLE);
    c.process();
    c.deliverAll(); // lost on the way to the isolated leader
    NodeId newLeader = c.electLeader();
    assertTrue(!newLeader.equals(leader));
    assertEquals(List.of(6L), c.droppedReads.get(follower),
        "a new term drops what the old leader was asked");
  }

  private static NodeId otherThan(ProtocolCluster c, NodeId leader) {
    return c.id(1).equals(leader) ? c.id(2) : c.id(1);
  }
}
