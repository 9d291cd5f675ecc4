package io.raftdb.core.protocol;

import static io.raftdb.core.protocol.ProtocolCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.LogPosition;
import io.raftdb.NodeId;
import io.raftdb.NotLeaderException;
import io.raftdb.ReadConsistency;
import io.raftdb.Role;
import io.raftdb.message.AppendEntries;
import io.raftdb.message.AppendEntriesResponse;
import io.raftdb.message.EntryKind;
import io.raftdb.message.LogEntry;
import io.raftdb.message.RequestVote;
import io.raftdb.message.RequestVoteResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The protocol object alone, driven by {@link ProtocolCluster}; named after thesis sections. */
class RaftProtocolTest {

  @Test
  void singleNodeElectsItselfAndCommitsProposals() {
    ProtocolCluster c = new ProtocolCluster(1, 1);
    NodeId leader = c.electLeader();
    c.node(leader).propose(bytes("a"));
    c.node(leader).propose(bytes("b"));
    c.deliverAll();
    assertEquals(List.of("a", "b"), c.appliedCommands(leader));
  }

  @Test
  void electionSafetyOneLeaderPerTerm_3_4() {
    for (long seed = 0; seed < 20; seed++) {
      ProtocolCluster c = new ProtocolCluster(5, seed);
      NodeId leader = c.electLeader();
      long term = c.node(leader).term();
      for (NodeId id : c.ids) {
        if (!id.equals(leader)) {
          assertNotEquals(Role.LEADER, c.node(id).role(), "seed " + seed);
          assertEquals(term, c.node(id).term(), "seed " + seed);
          assertEquals(leader, c.node(id).leader(), "seed " + seed);
        }
      }
    }
  }

  @Test
  void newLeaderAppendsANoOpAndCommitsIt_3_6_2() {
    ProtocolCluster c = new ProtocolCluster(3, 7);
    NodeId leader = c.electLeader();
    c.tickAll();
    for (NodeId id : c.ids) {
      List<LogEntry> applied = c.applied.get(id);
      assertEquals(1, applied.size(), id.toString());
      assertEquals(EntryKind.NO_OP, applied.get(0).kind());
    }
    assertEquals(1, c.node(leader).commitIndex());
  }

  @Test
  void commandsReplicateAndApplyInOrderOnEveryNode_3_5() {
    ProtocolCluster c = new ProtocolCluster(3, 3);
    NodeId leader = c.electLeader();
    for (int i = 0; i < 100; i++) {
      c.node(leader).propose(bytes("c" + i));
      if (i % 7 == 0) {
        c.deliverAll();
      }
    }
    c.deliverAll();
    c.tickAll(); // a heartbeat carries the last commit index
    List<String> expected = c.appliedCommands(leader);
    assertEquals(100, expected.size());
    for (NodeId id : c.ids) {
      assertEquals(expected, c.appliedCommands(id), id.toString());
    }
  }

  @Test
  void followerRefusesProposalsWithLeaderHint() {
    ProtocolCluster c = new ProtocolCluster(3, 4);
    NodeId leader = c.electLeader();
    NodeId follower = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    NotLeaderException e = assertThrows(NotLeaderException.class,
        () -> c.node(follower).propose(bytes("x")));
    assertEquals(leader, e.leaderHint().orElseThrow());
  }

  @Test
  void aMinorityCannotCommit() {
    ProtocolCluster c = new ProtocolCluster(5, 5);
    NodeId leader = c.electLeader();
    c.tickAll();
    long committed = c.node(leader).commitIndex();
    int isolatedCount = 0;
    for (NodeId id : c.ids) {
      if (!id.equals(leader) && isolatedCount < 3) {
        c.isolated.add(id);
        isolatedCount++;
      }
    }
    LogPosition pos = c.node(leader).propose(bytes("lost"));
    for (int i = 0; i < 5; i++) {
      c.node(leader).tick();
      c.deliverAll();
    }
    assertEquals(committed, c.node(leader).commitIndex());
    assertTrue(pos.index() > committed);
  }

  @Test
  void candidateWithStaleLogCannotWin_3_6_1() {
    ProtocolCluster c = new ProtocolCluster(3, 9);
    NodeId leader = c.electLeader();
    NodeId stale = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    c.isolated.add(stale);
    c.node(leader).propose(bytes("x"));
    c.deliverAll();
    c.tickAll();
    c.isolated.clear();
    // The stale node campaigns (forced past pre-vote by a direct RequestVote on the others).
    RaftProtocol staleNode = c.node(stale);
    long term = c.node(leader).term() + 1;
    for (NodeId id : c.ids) {
      if (!id.equals(stale)) {
        RaftProtocol voter = c.node(id);
        voter.step(new RequestVote(0, stale, term, staleNode.lastLogIndex(), 1, false, true));
      }
    }
    c.process();
    long granted = c.inFlight.stream()
        .filter(o -> o.message() instanceof RequestVoteResponse r && r.granted()).count();
    assertEquals(0, granted);
  }

  @Test
  void conflictingFollowerSuffixIsReplaced_3_5() {
    ProtocolCluster c = new ProtocolCluster(3, 11);
    NodeId oldLeader = c.electLeader();
    c.tickAll();
    // The old leader, isolated, appends 50 entries that will never commit.
    c.isolated.add(oldLeader);
    for (int i = 0; i < 50; i++) {
      c.node(oldLeader).propose(bytes("doomed" + i));
    }
    c.process();
    c.inFlight.clear();
    NodeId newLeader = c.electLeader();
    assertNotEquals(oldLeader, newLeader);
    c.node(newLeader).propose(bytes("kept"));
    c.deliverAll();
    c.isolated.clear();
    for (int i = 0; i < 30; i++) {
      c.tickAll();
    }
    c.process();
    List<String> expected = c.appliedCommands(newLeader);
    assertEquals(expected, c.appliedCommands(oldLeader));
    assertFalse(expected.stream().anyMatch(s -> s.startsWith("doomed")));
    assertEquals(c.node(newLeader).lastLogIndex(), c.node(oldLeader).lastLogIndex());
  }

  @Test
  void fastBackUpNeedsOneRefusalPerConflictingTerm() {
    ProtocolCluster c = new ProtocolCluster(3, 12);
    NodeId oldLeader = c.electLeader();
    c.tickAll();
    c.isolated.add(oldLeader);
    for (int i = 0; i < 200; i++) {
      c.node(oldLeader).propose(bytes("doomed" + i));
    }
    c.process();
    c.inFlight.clear();
    NodeId newLeader = c.electLeader();
    c.tickAll();
    c.isolated.clear();
    int[] refusals = {0};
    for (int i = 0; i < 20; i++) {
      for (RaftProtocol p : c.nodes.values()) {
        p.tick();
      }
      c.deliverAll(o -> {
        if (o.message() instanceof AppendEntriesResponse r && !r.success()) {
          refusals[0]++;
        }
        return true;
      });
    }
    assertEquals(c.node(newLeader).lastLogIndex(), c.node(oldLeader).lastLogIndex());
    assertTrue(refusals[0] <= 2, "refusals: " + refusals[0]);
  }

  @Test
  void leaderNeverCommitsAnEarlierTermEntryByCounting_figure8_3_6_2() {
    ProtocolCluster c = new ProtocolCluster(3, 13);
    NodeId a = c.electLeader();
    c.tickAll();
    NodeId b = c.ids.stream().filter(id -> !id.equals(a)).findFirst().orElseThrow();
    NodeId third = c.ids.stream().filter(id -> !id.equals(a) && !id.equals(b))
        .findFirst().orElseThrow();
    // A appends X and replicates it to B only, then A falls silent.
    LogPosition x = c.node(a).propose(bytes("x"));
    c.deliverAll(o -> o.to().equals(b) && o.message() instanceof AppendEntries);
    assertEquals(x.index(), c.node(b).lastLogIndex());
    c.isolated.add(a);
    c.inFlight.clear();
    // B (whose log is longest) wins the next term and appends its no-op after X.
    for (int i = 0; i < 10_000 && c.node(b).role() != Role.LEADER; i++) {
      for (RaftProtocol p : c.nodes.values()) {
        p.tick();
      }
      c.deliverAll(o -> !(o.message() instanceof AppendEntries));
    }
    RaftProtocol leader = c.node(b);
    assertEquals(Role.LEADER, leader.role());
    c.inFlight.clear();
    // The third node reports that it holds X (an entry of the old term) but not the no-op.
    leader.step(new AppendEntriesResponse(0, third, leader.term(), true, x.index(), 0, 0, 0));
    c.process();
    assertTrue(leader.commitIndex() < x.index(),
        "X is on a majority but only an entry of the current term may be committed by counting");
    // Once the no-op of the current term is on a majority, it commits X along with it.
    leader.step(new AppendEntriesResponse(0, third, leader.term(), true, x.index() + 1, 0, 0, 0));
    c.process();
    assertEquals(x.index() + 1, leader.commitIndex());
  }

  @Test
  void preVoteStopsARejoiningNodeFromDisruptingTheLeader_9_6() {
    ProtocolCluster c = new ProtocolCluster(3, 17);
    NodeId leader = c.electLeader();
    long term = c.node(leader).term();
    NodeId loner = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    c.isolated.add(loner);
    for (int i = 0; i < 200; i++) {
      c.tickAll();
    }
    assertEquals(term, c.node(loner).term(), "pre-vote keeps the loner's term");
    c.isolated.clear();
    for (int i = 0; i < 50; i++) {
      c.tickAll();
    }
    assertEquals(leader, c.soleLeader());
    assertEquals(term, c.node(leader).term());
    assertEquals(Role.FOLLOWER, c.node(loner).role());
  }

  @Test
  void votersIgnoreCandidatesWhileTheyHearFromALeader_9_6() {
    ProtocolCluster c = new ProtocolCluster(3, 19);
    NodeId leader = c.electLeader();
    NodeId voter = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    NodeId other = c.ids.stream().filter(id -> !id.equals(leader) && !id.equals(voter))
        .findFirst().orElseThrow();
    long term = c.node(voter).term();
    c.node(voter).step(new RequestVote(0, other, term + 5, 100, term + 4, false, false));
    assertEquals(term, c.node(voter).term());
  }

  @Test
  void checkQuorumMakesAnIsolatedLeaderStepDown_9_6() {
    ProtocolCluster c = new ProtocolCluster(3, 23);
    NodeId leader = c.electLeader();
    c.isolated.add(leader);
    for (int i = 0; i < 3 * ProtocolCluster.CONFIG.electionTicks(); i++) {
      c.tick(leader, 1);
    }
    assertEquals(Role.FOLLOWER, c.node(leader).role());
  }

  @Test
  void readIndexIsConfirmedByAQuorumRound_6_4() {
    ProtocolCluster c = new ProtocolCluster(3, 29);
    NodeId leader = c.electLeader();
    c.tickAll();
    c.node(leader).propose(bytes("w"));
    c.deliverAll();
    long commit = c.node(leader).commitIndex();
    c.node(leader).readIndex(42, ReadConsistency.LINEARIZABLE);
    c.process();
    assertTrue(c.reads.get(leader).isEmpty(), "not confirmed before the quorum answers");
    c.deliverAll();
    assertEquals(List.of(new ReadState(42, commit)), c.reads.get(leader));
  }

  @Test
  void readIndexIsDroppedWhenLeadershipIsLost() {
    ProtocolCluster c = new ProtocolCluster(3, 31);
    NodeId leader = c.electLeader();
    c.tickAll();
    c.isolated.add(leader);
    c.node(leader).readIndex(7, ReadConsistency.LINEARIZABLE);
    for (int i = 0; i < 3 * ProtocolCluster.CONFIG.electionTicks(); i++) {
      c.tick(leader, 1);
    }
    assertTrue(c.reads.get(leader).isEmpty());
    assertEquals(List.of(7L), c.droppedReads.get(leader));
  }

  @Test
  void leaseReadNeedsNoRoundTripWhileTheLeaseHolds_6_4_1() {
    ProtocolCluster c = new ProtocolCluster(3, 37);
    NodeId leader = c.electLeader();
    c.tickAll();
    c.tickAll();
    c.node(leader).readIndex(5, ReadConsistency.LEASE);
    c.process();
    assertEquals(1, c.reads.get(leader).size());
  }

  @Test
  void leaseExpiresWhenTheQuorumFallsSilent() {
    ProtocolCluster c = new ProtocolCluster(3, 41);
    NodeId leader = c.electLeader();
    c.tickAll();
    c.isolated.add(leader);
    c.tick(leader, ProtocolCluster.CONFIG.electionTicks() - 1);
    if (c.node(leader).role() == Role.LEADER) {
      c.node(leader).readIndex(5, ReadConsistency.LEASE);
      c.process();
      assertTrue(c.reads.get(leader).isEmpty(), "lease must not hold after an election timeout");
    }
  }

  @Test
  void leadershipTransferHandsOverToTheTarget_3_10() {
    ProtocolCluster c = new ProtocolCluster(3, 43);
    NodeId leader = c.electLeader();
    c.tickAll();
    NodeId target = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    c.node(leader).transferLeadership(target);
    assertThrows(NotLeaderException.class, () -> c.node(leader).propose(bytes("refused")));
    c.deliverAll();
    assertEquals(target, c.soleLeader());
    assertEquals(Role.FOLLOWER, c.node(leader).role());
  }

  @Test
  void votesAndAcknowledgementsWaitForPersistence() {
    // Without check-quorum: a node that just started would otherwise ignore the candidate.
    ProtocolCluster c = new ProtocolCluster(3, 47, ProtocolCluster.CONFIG.withCheckQuorum(false));
    RaftProtocol voter = c.node(2);
    voter.step(new RequestVote(0, c.id(1), 1, 0, 0, false, false));
    Ready rd = voter.ready();
    assertNotNull(rd.hardState());
    assertEquals(c.id(1), rd.hardState().votedFor());
    assertTrue(rd.messages().isEmpty());
    assertEquals(1, rd.messagesAfterPersist().size());
    voter.advance(rd);
    voter.step(new AppendEntries(0, c.id(1), 1, 0, 0, 0, 1,
        List.of(LogEntry.noOp(1, 1))));
    rd = voter.ready();
    assertEquals(1, rd.entries().size());
    assertTrue(rd.messages().isEmpty());
    assertTrue(rd.messagesAfterPersist().get(0).message() instanceof AppendEntriesResponse r
        && r.success() && r.matchIndex() == 1);
  }

  @Test
  void aCrashedNodeRecoversTermVoteAndLog_3_8() {
    ProtocolCluster c = new ProtocolCluster(3, 53);
    NodeId leader = c.electLeader();
    c.node(leader).propose(bytes("durable"));
    c.deliverAll();
    c.tickAll();
    long term = c.node(leader).term();
    for (NodeId id : c.ids) {
      c.crashAndRestart(id);
    }
    NodeId again = c.electLeader();
    assertTrue(c.node(again).term() > term);
    c.tickAll();
    for (NodeId id : c.ids) {
      assertEquals(List.of("durable"), c.appliedCommands(id));
    }
  }

  @Test
  void staleRefusalDoesNotRewindAFollower() {
    ProtocolCluster c = new ProtocolCluster(3, 59);
    NodeId leader = c.electLeader();
    for (int i = 0; i < 10; i++) {
      c.node(leader).propose(bytes("x" + i));
    }
    c.deliverAll();
    c.tickAll();
    NodeId follower = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    long before = c.node(leader).commitIndex();
    c.node(leader).step(new AppendEntriesResponse(0, follower, c.node(leader).term(), false, 1, 0,
        1, 0));
    c.deliverAll();
    c.node(leader).propose(bytes("after"));
    c.deliverAll();
    assertTrue(c.node(leader).commitIndex() > before);
  }
}
