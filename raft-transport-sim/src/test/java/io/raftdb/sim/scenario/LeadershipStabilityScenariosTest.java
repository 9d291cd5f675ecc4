package io.raftdb.sim.scenario;

import static io.raftdb.sim.scenario.RaftCluster.ELECTION_TIMEOUT;
import static io.raftdb.sim.scenario.RaftCluster.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.NodeStatus;
import io.raftdb.NotLeaderException;
import io.raftdb.Role;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Pre-vote and check-quorum (thesis §9.6), which the labs do not test: a follower that was cut
 * off does not depose a healthy leader when it comes back, and a leader cut off from a quorum
 * stops acting as leader.
 */
class LeadershipStabilityScenariosTest extends RaftScenarioTest {

  /**
   * How long the follower stays cut off: five of its longest election timeouts, so that its timer
   * fires several times.
   */
  private static final Duration AWAY = ELECTION_TIMEOUT.multipliedBy(2 * 5);

  /**
   * How soon a leader cut off from a quorum must step down: check-quorum notices within two
   * election timeouts of the last contact; allow the longest randomized draw (2 ET) for each, and
   * one second for scheduling on a loaded machine.
   */
  private static final Duration STEP_DOWN_BOUND =
      ELECTION_TIMEOUT.multipliedBy(2 * 2).plusSeconds(1);

  /**
   * A follower whose log is as up to date as the leader's rejoins: without check-quorum's lease
   * the others would grant its pre-vote and it would raise the term and depose the leader.
   */
  @Test
  void rejoiningFollowerWithUpToDateLogDoesNotDisruptHealthyLeader() {
    rejoinAfterPartition("rejoining follower with an up-to-date log", false);
  }

  /**
   * A follower that missed commits rejoins: without pre-vote it would have raised its term while
   * away and its higher term would depose the leader.
   */
  @Test
  void rejoiningFollowerWithStaleLogDoesNotDisruptHealthyLeader() {
    rejoinAfterPartition("rejoining follower with a stale log", true);
  }

  private void rejoinAfterPartition(String description, boolean commitWhileAway) {
    int servers = 3;
    RaftCluster cfg = cluster(servers, true);
    cfg.begin("Pre-vote and check-quorum: " + description);

    cfg.one(cfg.random().nextLong(), servers, true);
    int leader = cfg.checkOneLeader();
    long term = cfg.checkTerms();
    int follower = (leader + 1) % servers;

    cfg.disconnect(follower);
    if (commitWhileAway) {
      cfg.one(cfg.random().nextLong(), servers - 1, true);
    }
    sleep(AWAY);

    NodeStatus away = cfg.status(follower);
    assertEquals(term, away.term(), "the cut-off follower raised its term (no pre-vote?); "
        + cfg.describe());
    assertTrue(cfg.status(leader).isLeader(), "the leader lost leadership while it had a quorum; "
        + cfg.describe());

    cfg.connect(follower);
    // Give the rejoined follower time to campaign if it would, then to catch up.
    sleep(ELECTION_TIMEOUT.multipliedBy(2 * 2));
    cfg.one(cfg.random().nextLong(), servers, true);

    assertEquals(leader, cfg.checkOneLeader(), "leadership changed; " + cfg.describe());
    for (int i = 0; i < servers; i++) {
      NodeStatus s = cfg.status(i);
      assertEquals(term, s.term(), "term changed on " + cfg.id(i) + "; " + cfg.describe());
      assertEquals(cfg.id(leader), s.leader().orElse(null),
          cfg.id(i) + " follows another leader; " + cfg.describe());
    }
    cfg.end();
  }

  /**
   * A follower that can reach everybody but no longer hears the leader (its inbound link from the
   * leader is down) campaigns again and again with an up-to-date log. The other follower still
   * hears the leader, so check-quorum's lease makes it ignore those (pre-)votes: leader and term
   * stay. Unlike a plain rejoin, this does not depend on which comes first after reconnecting,
   * the leader's heartbeat or the follower's timer.
   */
  @Test
  void followerThatCannotHearLeaderDoesNotDisruptIt() {
    int servers = 3;
    RaftCluster cfg = cluster(servers, true);
    cfg.begin("Check-quorum: a follower that cannot hear the leader does not depose it");

    cfg.one(cfg.random().nextLong(), servers, true);
    int leader = cfg.checkOneLeader();
    long term = cfg.checkTerms();
    int deaf = (leader + 1) % servers;
    int other = (leader + 2) % servers;

    cfg.disconnect(deaf);
    cfg.network().setLink(cfg.id(deaf), cfg.id(other), true);
    cfg.network().setLink(cfg.id(other), cfg.id(deaf), true);
    cfg.network().setLink(cfg.id(deaf), cfg.id(leader), true);
    sleep(AWAY);

    for (int i : new int[] {leader, other}) {
      NodeStatus s = cfg.status(i);
      assertEquals(term, s.term(), "term changed on " + cfg.id(i) + "; " + cfg.describe());
    }
    assertTrue(cfg.status(leader).isLeader(), "the healthy leader was deposed; " + cfg.describe());

    cfg.connect(deaf);
    cfg.one(cfg.random().nextLong(), servers, true);
    assertEquals(leader, cfg.checkOneLeader(), "leadership changed; " + cfg.describe());
    assertEquals(term, cfg.checkTerms(), "term changed; " + cfg.describe());
    cfg.end();
  }

  /**
   * A leader partitioned with one follower away from the other three of five no longer has a
   * quorum: it steps down within about two election timeouts and refuses commands, while the
   * majority elects a new leader in a later term.
   */
  @Test
  void leaderCutOffFromQuorumStepsDown() throws InterruptedException {
    int servers = 5;
    RaftCluster cfg = cluster(servers, true);
    cfg.begin("Check-quorum: leader cut off from the quorum steps down");

    cfg.one(cfg.random().nextLong(), servers, true);
    int leader = cfg.checkOneLeader();
    long term = cfg.status(leader).term();

    Set<Integer> minority = Set.of(leader, (leader + 1) % servers);
    Set<NodeId> minorityIds = new HashSet<>();
    Set<NodeId> majorityIds = new HashSet<>();
    for (int i = 0; i < servers; i++) {
      (minority.contains(i) ? minorityIds : majorityIds).add(cfg.id(i));
    }
    long t0 = System.nanoTime();
    cfg.network().partition(minorityIds, majorityIds);

    // Poll (generously) until the old leader no longer claims leadership.
    long deadline = t0 + TimeUnit.SECONDS.toNanos(10);
    NodeStatus s = cfg.status(leader);
    while (s.isLeader() && System.nanoTime() < deadline) {
      sleep(10);
      s = cfg.status(leader);
    }
    long tookMs = RaftCluster.elapsedMs(t0);
    assertNotEquals(Role.LEADER, s.role(),
        "still leader 10 s after losing its quorum; " + cfg.describe());
    System.out.println("  the cut-off leader stepped down after " + tookMs + " ms");
    assertTrue(tookMs <= STEP_DOWN_BOUND.toMillis(), "the cut-off leader stepped down only after "
        + tookMs + " ms; expected about two election timeouts (bound "
        + STEP_DOWN_BOUND.toMillis() + " ms)");

    // It refuses commands now.
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> cfg.node(leader).propose(LongCommand.of(1)).position().get(5, TimeUnit.SECONDS));
    assertInstanceOf(NotLeaderException.class, refused.getCause());

    // The majority side has its own leader in a later term.
    int leader2 = cfg.checkOneLeader();
    assertTrue(!minority.contains(leader2), "the leader is still on the minority side");
    assertTrue(cfg.status(leader2).term() > term, "the new leader's term did not advance");

    // Healed, everyone follows the new leader.
    cfg.network().connectAll();
    cfg.one(cfg.random().nextLong(), servers, true);
    NodeStatus healed = cfg.status(leader);
    assertNotNull(healed);
    assertEquals(Role.FOLLOWER, healed.role(), "old leader after healing; " + cfg.describe());
    cfg.end();
  }
}
