package io.raftdb.core.protocol;

import static io.raftdb.core.protocol.ProtocolCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.Membership;
import io.raftdb.MembershipChangeException;
import io.raftdb.NodeId;
import io.raftdb.Role;
import io.raftdb.message.AppendEntries;
import io.raftdb.message.EntryKind;
import io.raftdb.message.LogEntry;
import io.raftdb.message.RequestVote;
import io.raftdb.message.RequestVoteResponse;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Membership changes in the protocol (thesis chapter 4), driven by {@link ProtocolCluster}. */
class MembershipProtocolTest {
  private static final NodeId N4 = NodeId.of("n4");
  private static final NodeId N5 = NodeId.of("n5");

  /** Proposes {@code change} on the leader and lets the cluster run until it has settled. */
  private static void change(ProtocolCluster c, NodeId leader, UnaryOperator<Membership> change) {
    RaftProtocol p = c.node(leader);
    p.proposeMembership(change.apply(p.membership()));
    settle(c);
  }

  private static void settle(ProtocolCluster c) {
    for (int i = 0; i < 20; i++) {
      c.tickAll();
    }
  }

  /** Starts joining nodes and adds them as learners, one change each. */
  private static void addLearners(ProtocolCluster c, NodeId leader, NodeId... learners) {
    for (NodeId learner : learners) {
      c.addJoiningNode(learner);
      change(c, leader, m -> m.withLearner(learner, false));
    }
  }

  private static NodeId leaderWithCommittedTerm(ProtocolCluster c) {
    c.electLeader();
    settle(c);
    return c.soleLeader();
  }

  @Test
  void aLearnerReceivesTheLogButNeitherVotesNorCampaigns() {
    ProtocolCluster c = new ProtocolCluster(3, 1);
    NodeId leader = leaderWithCommittedTerm(c);
    RaftProtocol learner = c.addJoiningNode(N4);
    assertEquals(Membership.NONE, learner.membership());

    change(c, leader, m -> m.withLearner(N4, false));
    c.node(leader).propose(bytes("a"));
    settle(c);

    assertEquals(List.of("a"), c.appliedCommands(N4));
    assertEquals(Set.of(N4), learner.membership().learners());
    assertFalse(learner.membership().isVoter(N4));
    // Alone, the learner never campaigns.
    c.isolated.add(N4);
    c.tick(N4, 1000);
    assertEquals(0, learner.electionsStarted());
    assertEquals(Role.FOLLOWER, learner.role());
    // Nor does its answer count: with two of three voters cut off, nothing commits.
    c.isolated.remove(N4);
    NodeId other = c.ids.stream().filter(id -> !id.equals(leader) && !id.equals(N4))
        .findFirst().orElseThrow();
    c.isolated.add(other);
    NodeId third = c.ids.stream().filter(id -> !id.equals(leader) && !id.equals(N4)
        && !id.equals(other)).findFirst().orElseThrow();
    c.isolated.add(third);
    long commit = c.node(leader).commitIndex();
    c.node(leader).propose(bytes("b"));
    c.tickAll();
    c.tickAll();
    assertEquals(commit, c.node(leader).commitIndex(), "a learner's acknowledgement counts for"
        + " nothing");
  }

  @Test
  void aPromotableLearnerBecomesAVoterOnlyOnceCaughtUp() {
    ProtocolCluster c = new ProtocolCluster(3, 2,
        ProtocolCluster.CONFIG.toBuilder().promotionLag(0).build());
    NodeId leader = leaderWithCommittedTerm(c);
    c.addJoiningNode(N4);
    c.isolated.add(N4);

    change(c, leader, m -> m.withLearner(N4, true));
    for (int i = 0; i < 5; i++) {
      c.node(leader).propose(bytes("x" + i));
    }
    settle(c);
    assertEquals(Set.of(N4), c.node(leader).membership().promotable(), "not caught up: no"
        + " promotion");

    c.isolated.remove(N4);
    settle(c);

    for (NodeId id : c.ids) {
      Membership m = c.node(id).membership();
      assertTrue(m.voters().contains(N4), id + " sees " + m);
      assertTrue(m.learners().isEmpty());
    }
    assertEquals(c.appliedCommands(leader), c.appliedCommands(N4));
  }

  @Test
  void aLeaderRefusesASecondChangeBeforeTheFirstCommitsAndAnyStepTooLarge() {
    ProtocolCluster c = new ProtocolCluster(3, 3);
    NodeId leader = leaderWithCommittedTerm(c);
    RaftProtocol p = c.node(leader);

    p.proposeMembership(p.membership().withLearner(N4, false));
    MembershipChangeException second = assertThrows(MembershipChangeException.class,
        () -> p.proposeMembership(p.membership().withLearner(N5, false)));
    assertTrue(second.getMessage().contains("one change at a time"), second.getMessage());

    settle(c);
    Membership twoVotersMore = new Membership(Set.of(c.id(1), c.id(2), c.id(3), N4, N5),
        Set.of(), Set.of(), Set.of());
    MembershipChangeException tooLarge = assertThrows(MembershipChangeException.class,
        () -> p.proposeMembership(twoVotersMore));
    assertTrue(tooLarge.getMessage().contains("in one step"), tooLarge.getMessage());
    assertThrows(IllegalArgumentException.class, () -> p.propose(EntryKind.MEMBERSHIP,
        new byte[0]), "membership entries go through proposeMembership");
  }

  @Test
  void aNewLeaderChangesNothingBeforeItCommitsAnEntryOfItsTerm() {
    ProtocolCluster c = new ProtocolCluster(3, 4);
    NodeId leader = null;
    for (int i = 0; i < 10_000 && leader == null; i++) {
      for (NodeId id : c.ids) {
        c.tick(id, 1);
      }
      // Only votes get through: the winner's no-op is never acknowledged.
      c.deliverAll(o -> o.message() instanceof RequestVote
          || o.message() instanceof RequestVoteResponse);
      leader = c.soleLeader();
    }
    RaftProtocol p = c.node(leader);

    MembershipChangeException e = assertThrows(MembershipChangeException.class,
        () -> p.proposeMembership(p.membership().withLearner(N4, false)));
    assertTrue(e.getMessage().contains("not yet committed an entry of its term"),
        e.getMessage());

    c.deliverAll();
    c.tickAll();
    p.proposeMembership(p.membership().withLearner(N4, false)); // now it may
    assertEquals(Set.of(N4), p.membership().learners());
  }

  @Test
  void aRemovedLeaderStepsDownOnceItsRemovalCommitsAndNeverCampaignsAgain() {
    ProtocolCluster c = new ProtocolCluster(3, 5);
    NodeId leader = leaderWithCommittedTerm(c);
    RaftProtocol old = c.node(leader);
    old.propose(bytes("before"));

    change(c, leader, m -> m.without(leader));

    assertEquals(Role.FOLLOWER, old.role(), "stepped down after committing its removal");
    assertFalse(old.membership().contains(leader));
    NodeId next = c.electLeader();
    assertNotEquals(leader, next);
    c.node(next).propose(bytes("after"));
    settle(c);
    assertTrue(c.appliedCommands(next).containsAll(List.of("before", "after")));
    long elections = old.electionsStarted();
    c.isolated.add(leader);
    c.tick(leader, 1000);
    assertEquals(elections, old.electionsStarted(), "a removed node does not campaign");
  }

  @Test
  void aRemovedFollowerThatNeverLearnedOfItDoesNotDisruptTheGroup() {
    ProtocolCluster c = new ProtocolCluster(3, 6);
    NodeId leader = leaderWithCommittedTerm(c);
    NodeId removed = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    c.isolated.add(removed);
    change(c, leader, m -> m.without(removed));
    long term = c.node(leader).term();

    // Back, it still believes it is a voter; it hears nothing and campaigns, in vain.
    c.isolated.remove(removed);
    for (int i = 0; i < 500; i++) {
      c.tickAll();
    }
    assertTrue(c.node(removed).electionsStarted() > 0, "it did try");
    assertEquals(leader, c.soleLeader());
    assertEquals(term, c.node(leader).term(), "the leader was never deposed");
    c.node(leader).propose(bytes("still-served"));
    settle(c);
    assertTrue(c.appliedCommands(leader).contains("still-served"));
  }

  @Test
  void aJointChangeReplacesTwoVotersAndIsLeftByItself() {
    ProtocolCluster c = new ProtocolCluster(3, 7);
    NodeId leader = leaderWithCommittedTerm(c);
    addLearners(c, leader, N4, N5);
    List<NodeId> leaving = c.ids.stream().filter(id -> !id.equals(leader)
        && !id.equals(N4) && !id.equals(N5)).toList();
    Set<NodeId> target = Set.of(leader, N4, N5);

    RaftProtocol p = c.node(leader);
    p.proposeMembership(p.membership().withVoters(target));
    assertTrue(p.membership().isJoint());
    settle(c);

    for (NodeId id : List.of(leader, N4, N5)) {
      Membership m = c.node(id).membership();
      assertFalse(m.isJoint(), id + " left the joint change: " + m);
      assertEquals(target, m.voters());
    }
    for (NodeId gone : leaving) {
      c.isolated.add(gone);
    }
    p.propose(bytes("new-group"));
    settle(c);
    assertTrue(c.appliedCommands(N5).contains("new-group"), "the new voters commit alone");
  }

  @Test
  void duringAJointChangeNeitherMajorityAloneCommits() {
    ProtocolCluster c = new ProtocolCluster(3, 8);
    NodeId leader = leaderWithCommittedTerm(c);
    addLearners(c, leader, N4, N5);
    RaftProtocol p = c.node(leader);
    List<NodeId> old = c.ids.stream().filter(id -> !id.equals(leader)
        && !id.equals(N4) && !id.equals(N5)).toList();
    // Only the new voters hear the joint entry: the old majority never acknowledges it.
    c.isolated.addAll(old);
    long before = p.commitIndex();
    p.proposeMembership(p.membership().withVoters(Set.of(leader, N4, N5)));
    settle(c);

    assertEquals(before, p.commitIndex(), "the incoming majority alone commits nothing");
    assertTrue(p.membership().isJoint());
    c.isolated.removeAll(old);
    for (int i = 0; i < 2_000 && c.node(leader).membership().isJoint(); i++) {
      c.tickAll();
    }
    assertFalse(c.node(leader).membership().isJoint());
  }

  @Test
  void aTruncatedMembershipEntryTakesItsChangeBack() {
    ProtocolCluster c = new ProtocolCluster(3, 9);
    NodeId leader = leaderWithCommittedTerm(c);
    RaftProtocol p = c.node(leader);
    Membership before = p.membership();
    // The leader is cut off right after appending the change: nobody else ever sees it.
    c.isolated.add(leader);
    p.proposeMembership(before.withLearner(N4, false));
    c.process();
    assertEquals(Set.of(N4), p.membership().learners(), "in effect once appended");

    NodeId next = null;
    for (int i = 0; i < 10_000 && next == null; i++) {
      c.tickAll();
      for (NodeId id : c.ids) {
        if (!id.equals(leader) && c.node(id).role() == Role.LEADER) {
          next = id;
        }
      }
    }
    assertTrue(next != null, "the others elect a leader");
    c.node(next).propose(bytes("overwrites"));
    settle(c);
    c.isolated.remove(leader);
    settle(c);

    assertEquals(before, p.membership(), "the old leader's uncommitted change is gone");
    assertTrue(c.appliedCommands(leader).contains("overwrites"));
  }

  @Test
  void aRestartedNodeTakesItsMembershipFromItsLogAndSnapshot() {
    ProtocolCluster c = new ProtocolCluster(3, 10);
    NodeId leader = leaderWithCommittedTerm(c);
    c.addJoiningNode(N4);
    change(c, leader, m -> m.withLearner(N4, false));
    Membership expected = c.node(leader).membership();
    NodeId follower = c.ids.stream().filter(id -> !id.equals(leader) && !id.equals(N4))
        .findFirst().orElseThrow();

    c.crashAndRestart(follower);
    assertEquals(expected, c.node(follower).membership(), "from the log");

    settle(c); // it applies its log again
    c.takeSnapshot(follower);
    c.crashAndRestart(follower);
    assertEquals(expected, c.node(follower).membership(), "from the snapshot");

    c.crashAndRestart(N4);
    assertEquals(expected, c.node(N4).membership(), "a joined node, from its own log");
  }

  @Test
  void aLearnerAddedAfterCompactionCatchesUpFromASnapshot() {
    ProtocolCluster c = new ProtocolCluster(3, 11);
    NodeId leader = leaderWithCommittedTerm(c);
    for (int i = 0; i < 10; i++) {
      c.node(leader).propose(bytes("c" + i));
    }
    settle(c);
    c.addJoiningNode(N4);
    c.isolated.add(N4);
    change(c, leader, m -> m.withLearner(N4, true));
    c.takeSnapshot(leader);
    c.isolated.remove(N4);
    c.node(leader).propose(bytes("last"));
    settle(c);

    assertEquals(c.appliedCommands(leader), c.appliedCommands(N4));
    assertTrue(c.node(N4).membership().voters().contains(N4), "promoted once caught up");
  }

  @Test
  void malformedMembershipEntriesAreRefusedAsInvalidMessages() {
    ProtocolCluster c = new ProtocolCluster(3, 12);
    NodeId leader = leaderWithCommittedTerm(c);
    NodeId follower = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    RaftProtocol f = c.node(follower);
    Membership before = f.membership();
    long invalid = f.invalidMessages();
    long last = f.lastLogIndex();

    boolean taken = f.step(new AppendEntries(0, leader, f.term(), last, c.node(follower)
        .term(), f.commitIndex(), 99, List.of(new LogEntry(last + 1, f.term(),
        EntryKind.MEMBERSHIP, new byte[] {1, 7}))));

    assertFalse(taken);
    assertEquals(invalid + 1, f.invalidMessages());
    assertTrue(f.lastInvalidMessage().contains("membership entry"), f.lastInvalidMessage());
    assertEquals(before, f.membership());
    assertEquals(last, f.lastLogIndex());
  }

  @Test
  void aSoleVoterLeadsOnlyOnceItsTermAndVoteAreDurable() {
    ProtocolCluster c = new ProtocolCluster(1, 13);
    RaftProtocol p = c.node(1);
    while (p.role() != Role.CANDIDATE) {
      p.tick(); // until the only voter campaigns
    }
    Ready rd = p.ready();
    assertEquals(p.term(), rd.hardState().term(), "the term and vote go out to be saved");
    assertEquals(Role.CANDIDATE, p.role(), "not before they are durable");
    p.advance(rd);
    assertEquals(Role.LEADER, p.role());
  }
}
