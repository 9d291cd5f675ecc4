package io.raftdb.core.protocol;

import static io.raftdb.core.protocol.ProtocolCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.ReadConsistency;
import io.raftdb.Role;
import io.raftdb.message.RequestVote;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The leader lease (thesis §6.4.1) stays safe when the leader's loop stalls and when a follower
 * restarts: the two ways a LEASE read used to return a value another leader had overwritten.
 */
class LeaseSafetyTest {
  private static final int ELECTION_TICKS = ProtocolCluster.CONFIG.electionTicks();

  @Test
  void aStalledLeaderServesNoLeaseReadOnceRealTimeHasRunPastItsLease() {
    ProtocolCluster c = new ProtocolCluster(3, 101);
    NodeId oldLeader = c.electLeader();
    c.tickAll();
    c.node(oldLeader).propose(bytes("1"));
    c.deliverAll();
    long staleIndex = c.node(oldLeader).commitIndex();

    // The old leader's loop stalls for 3 s (a GC pause, a slow sync) while it is cut off: it
    // fires no ticks, but its clock runs on.
    c.isolated.add(oldLeader);
    c.stall(oldLeader, Duration.ofSeconds(3));
    NodeId newLeader = electAmongTheOthers(c, oldLeader);
    c.node(newLeader).propose(bytes("10"));
    c.deliverAll();
    assertTrue(c.node(newLeader).commitIndex() > staleIndex);

    assertEquals(Role.LEADER, c.node(oldLeader).role(), "no tick told it to step down");
    c.node(oldLeader).readIndex(5, ReadConsistency.LEASE);
    c.process();
    assertTrue(c.reads.get(oldLeader).isEmpty(),
        "a lease read confirmed after the lease ran out in real time: " + c.reads.get(oldLeader));
  }

  @Test
  void theLeaseStillHoldsWhileRealTimeStaysWithinIt() {
    ProtocolCluster c = new ProtocolCluster(3, 103);
    NodeId leader = c.electLeader();
    c.tickAll();
    c.tickAll();
    c.stall(leader, ProtocolCluster.CONFIG.leaseDuration().dividedBy(2));
    c.node(leader).readIndex(5, ReadConsistency.LEASE);
    c.process();
    assertEquals(1, c.reads.get(leader).size());
  }

  @Test
  void aFollowerThatJustRestartedHelpsNoCandidateDeposeTheLeaseHolder() {
    ProtocolCluster c = new ProtocolCluster(3, 107);
    NodeId leader = c.electLeader();
    c.tickAll();
    c.node(leader).propose(bytes("x"));
    c.deliverAll(); // every follower acknowledged a round: the lease holds
    NodeId restarted = other(c, leader, null);
    NodeId candidate = other(c, leader, restarted);

    c.crashAndRestart(restarted);
    // The candidate is cut off from the leader and campaigns; no tick passes anywhere else.
    for (int i = 0; i < 3 * ELECTION_TICKS; i++) {
      c.tick(candidate, 1);
      c.deliverAll(o -> !isBetween(o.to(), o.message().from(), leader, candidate));
    }

    assertNotEquals(Role.LEADER, c.node(candidate).role(),
        "a node that restarted an instant ago voted a second leader in");
    c.node(leader).readIndex(9, ReadConsistency.LEASE);
    c.process();
    long newestCommit = c.ids.stream().mapToLong(id -> c.node(id).commitIndex()).max()
        .orElseThrow();
    assertEquals(1, c.reads.get(leader).size());
    assertEquals(newestCommit, c.reads.get(leader).get(0).index());
  }

  @Test
  void theQuietPeriodAfterAStartLastsOneElectionTimeout() {
    ProtocolCluster c = new ProtocolCluster(3, 109);
    NodeId voter = c.id(2);
    long term = c.node(voter).term();
    RequestVote vote = new RequestVote(0, c.id(1), term + 1, 0, 0, false, false);
    c.node(voter).step(vote);
    assertEquals(term, c.node(voter).term(), "ignored right after the start");

    c.tick(voter, ELECTION_TICKS - 1);
    if (c.node(voter).role() == Role.FOLLOWER) { // (it cannot campaign before the timeout)
      c.node(voter).step(vote);
      assertEquals(term, c.node(voter).term());
    }
    c.tick(voter, 1);
    long now = c.node(voter).term();
    c.node(voter).step(new RequestVote(0, c.id(1), now + 1, 0, 0, false, false));
    assertEquals(now + 1, c.node(voter).term(), "heard after an election timeout");
  }

  @Test
  void aLeadershipTransferIsHonouredRightAfterAStart() {
    ProtocolCluster c = new ProtocolCluster(3, 113);
    NodeId voter = c.id(2);
    long term = c.node(voter).term();
    c.node(voter).step(new RequestVote(0, c.id(1), term + 1, 0, 0, false, true));
    assertEquals(term + 1, c.node(voter).term());
    assertNotNull(c.node(voter).ready().hardState());
  }

  private static NodeId electAmongTheOthers(ProtocolCluster c, NodeId excluded) {
    for (int i = 0; i < 100 * ELECTION_TICKS; i++) {
      for (NodeId id : c.ids) {
        if (!id.equals(excluded)) {
          c.tick(id, 1);
        }
      }
      c.deliverAll();
      NodeId leader = c.soleLeader();
      if (leader != null) {
        return leader;
      }
    }
    throw new AssertionError("the others elected nobody");
  }

  private static NodeId other(ProtocolCluster c, NodeId a, NodeId b) {
    return c.ids.stream().filter(id -> !id.equals(a) && !id.equals(b)).findFirst().orElseThrow();
  }

  private static boolean isBetween(NodeId to, NodeId from, NodeId x, NodeId y) {
    return (to.equals(x) && from.equals(y)) || (to.equals(y) && from.equals(x));
  }
}
