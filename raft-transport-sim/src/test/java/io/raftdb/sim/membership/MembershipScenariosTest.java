package io.raftdb.sim.membership;

import static io.raftdb.sim.membership.SimGroup.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.RaftNode;
import io.raftdb.testkit.Await;
import io.raftdb.testkit.linearizability.CheckResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership changes on real nodes (event loops, Chronicle logs, snapshots) over the simulated
 * network, under client load whose history is checked for linearizability: a group grows and
 * shrinks, replaces a dead member, ignores a removed member that keeps running, and survives a
 * leadership transfer to a member that lags.
 */
@Timeout(300)
class MembershipScenariosTest {
  private static final NodeId N1 = id(1);
  private static final NodeId N2 = id(2);
  private static final NodeId N3 = id(3);
  private static final NodeId N4 = id(4);
  private static final NodeId N5 = id(5);
  private static final List<NodeId> FOUNDERS = List.of(N1, N2, N3);

  @TempDir
  Path dir;

  private static void assertLinearizable(CheckResult result) {
    assertTrue(result.linearizable(), result.explanation());
  }

  @Test
  void aGroupGrowsFromThreeToFiveAndShrinksBackUnderLoadLosingNothing() throws Exception {
    try (SimGroup g = new SimGroup(1, dir)) {
      g.found(FOUNDERS);
      g.awaitLeader();
      AppendWorkload load = new AppendWorkload(g);

      g.join(N4);
      g.join(N5);
      g.change(leader -> leader.addVoter(N4));
      g.change(leader -> leader.addVoter(N5));
      Set<NodeId> five = Set.of(N1, N2, N3, N4, N5);
      g.awaitMembership(List.copyOf(five), m -> m.voters().equals(five), "five voters");

      // Back to three, removing the leader first: it steps down once its removal commits.
      NodeId oldLeader = g.awaitLeader().id();
      g.change(leader -> leader.removeMember(oldLeader));
      NodeId second = five.stream().filter(id -> !id.equals(oldLeader)).sorted().findFirst()
          .orElseThrow();
      g.change(leader -> leader.removeMember(second));
      List<NodeId> remaining = five.stream().filter(id -> !id.equals(oldLeader)
          && !id.equals(second)).sorted().toList();
      g.awaitMembership(remaining, m -> m.voters().equals(Set.copyOf(remaining)), "three voters");
      Await.until("some appends", SimGroup.WAIT, () -> load.acknowledged() > 50);
      g.stop(oldLeader);
      g.stop(second);

      assertLinearizable(load.stopAndCheck());
      assertTrue(remaining.contains(g.awaitLeader().id()));
    }
  }

  @Test
  void aDeadMemberIsReplacedAndTheGroupThenSurvivesAnotherLoss() throws Exception {
    try (SimGroup g = new SimGroup(2, dir)) {
      g.found(FOUNDERS);
      AppendWorkload load = new AppendWorkload(g);
      Await.until("some appends", SimGroup.WAIT, () -> load.acknowledged() > 20);
      NodeId dead = g.awaitLeader().id().equals(N3) ? N2 : N3;
      g.stop(dead);

      g.join(N4);
      g.change(leader -> leader.addVoter(N4)); // a learner first: no window with 2 of 4
      g.change(leader -> leader.removeMember(dead));
      List<NodeId> now = List.of(N1, N2, N3, N4).stream().filter(id -> !id.equals(dead)).toList();
      g.awaitMembership(now, m -> m.voters().equals(Set.copyOf(now)), "the dead member gone");

      // One more member may fail now, the leader included.
      g.stop(g.awaitLeader().id());
      long before = load.acknowledged();
      Await.until("appends after the second loss", SimGroup.WAIT,
          () -> load.acknowledged() > before + 20);
      assertLinearizable(load.stopAndCheck());
    }
  }

  @Test
  void aRemovedMemberThatKeepsRunningDoesNotDisruptTheGroup() throws Exception {
    try (SimGroup g = new SimGroup(3, dir)) {
      g.found(FOUNDERS);
      RaftNode leader = g.awaitLeader();
      NodeId removed = leader.id().equals(N3) ? N2 : N3;
      // Cut off, it never hears of its removal, and keeps believing it is a voter.
      g.network.disconnect(removed);
      g.change(l -> l.removeMember(removed));
      long term = g.awaitLeader().status().term();
      NodeId stillLeading = g.awaitLeader().id();

      g.network.connect(removed);
      AppendWorkload load = new AppendWorkload(g);
      Thread.sleep(10 * SimGroup.CONFIG.electionTimeout().toMillis());

      assertEquals(stillLeading, g.awaitLeader().id(), "the leader was not deposed");
      assertEquals(term, g.awaitLeader().status().term(), "nor was the term disturbed");
      assertTrue(load.acknowledged() > 0);
      assertTrue(g.node(removed).status().membership().isVoter(removed),
          "the removed member never learned of its removal");
      assertLinearizable(load.stopAndCheck());
    }
  }

  @Test
  void aTransferToALaggingMemberAbortsCleanlyAndLaterCompletes() throws Exception {
    try (SimGroup g = new SimGroup(4, dir)) {
      g.found(FOUNDERS);
      RaftNode leader = g.awaitLeader();
      NodeId lagging = leader.id().equals(N3) ? N2 : N3;
      g.network.disconnect(lagging);
      for (int i = 0; i < 50; i++) {
        leader.submit(AppendMachine.append("k", "v" + i + ";")).get(30, TimeUnit.SECONDS);
      }

      ExecutionException aborted = assertThrows(ExecutionException.class,
          () -> leader.transferLeadership(lagging).get(30, TimeUnit.SECONDS));
      assertFalse(g.node(lagging).status().isLeader());
      assertTrue(leader.status().isLeader(), "the old leader leads on: " + aborted.getCause());
      leader.submit(AppendMachine.append("k", "after;")).get(30, TimeUnit.SECONDS);

      g.network.connect(lagging);
      Await.until("the lagging member caught up", SimGroup.WAIT, () ->
          g.node(lagging).status().appliedIndex() >= leader.status().commitIndex());
      leader.transferLeadership(lagging).get(30, TimeUnit.SECONDS);
      Await.until(lagging + " leads", SimGroup.WAIT, () -> g.node(lagging).status().isLeader());
    }
  }

  @Test
  void aJointChangeReplacesTwoVotersAtOnceAndARestartedJoinerKeepsItsMembership()
      throws Exception {
    try (SimGroup g = new SimGroup(5, dir)) {
      g.found(FOUNDERS);
      AppendWorkload load = new AppendWorkload(g);
      g.join(N4);
      g.join(N5);
      g.change(leader -> leader.addLearner(N4));
      g.change(leader -> leader.addLearner(N5));
      NodeId kept = g.awaitLeader().id();
      Set<NodeId> target = Set.of(kept, N4, N5);

      Membership done = g.change(leader -> leader.changeVoters(target));

      assertEquals(target, done.voters());
      assertFalse(done.isJoint());
      for (NodeId gone : FOUNDERS) {
        if (!target.contains(gone)) {
          g.stop(gone);
        }
      }
      long before = load.acknowledged();
      Await.until("appends by the new voters alone", SimGroup.WAIT,
          () -> load.acknowledged() > before + 20);

      g.stop(N5);
      RaftNode restarted = g.start(N5, List.of()); // from its data directory
      Await.until("the restarted joiner knows its group", SimGroup.WAIT,
          () -> restarted.status().membership().voters().equals(target));
      assertLinearizable(load.stopAndCheck());
    }
  }
}
