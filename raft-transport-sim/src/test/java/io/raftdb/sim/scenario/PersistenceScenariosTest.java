package io.raftdb.sim.scenario;

import static io.raftdb.sim.scenario.RaftCluster.LABS_ELECTION_TIMEOUT;
import static io.raftdb.sim.scenario.RaftCluster.sleep;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.LogPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Part 2C of the MIT 6.824 Raft labs: persistence, on RaftDB's runtime and the simulated network
 * (mit-6824-tests.md, 3.3). A crash closes a node without a sync and keeps what its disk made
 * durable; a restart builds a new node on that. A subclass that overrides {@link #storageKind()}
 * runs every scenario again on another kind of disk.
 */
class PersistenceScenariosTest extends RaftScenarioTest {

  /** TestPersist12C: term, vote and log survive restarts of all, of leaders and of followers. */
  @Test
  void agreementContinuesAcrossRestarts() {
    int servers = 3;
    RaftCluster cfg = cluster(servers, true);
    cfg.begin("Test (2C): basic persistence");

    cfg.one(11, servers, true);

    // Everybody crashes and restarts from disk.
    for (int i = 0; i < servers; i++) {
      cfg.restart(i);
    }
    for (int i = 0; i < servers; i++) {
      cfg.disconnect(i);
      cfg.connect(i);
    }

    cfg.one(12, servers, true);

    int leader1 = cfg.checkOneLeader();
    cfg.disconnect(leader1);
    cfg.restart(leader1);
    cfg.connect(leader1);

    cfg.one(13, servers, true);

    int leader2 = cfg.checkOneLeader();
    cfg.disconnect(leader2);
    long index14 = cfg.one(14, servers - 1, true);
    cfg.restart(leader2);
    cfg.connect(leader2);

    cfg.waitCommitted(index14, servers, -1); // wait for leader2 to join before killing i3

    int i3 = (cfg.checkOneLeader() + 1) % servers;
    cfg.disconnect(i3);
    cfg.one(15, servers - 1, true);
    cfg.restart(i3);
    cfg.connect(i3);

    cfg.one(16, servers, true);
    cfg.end();
  }

  /** TestPersist22C: restarted servers with stale logs and one with the newest log elect well. */
  @Test
  void restartedServersWithMixedLogsElectCorrectly() {
    int servers = 5;
    RaftCluster cfg = cluster(servers, true);
    cfg.begin("Test (2C): more persistence");

    int index = 1;
    for (int iters = 0; iters < 5; iters++) {
      cfg.one(10 + index, servers, true);
      index++;

      int leader1 = cfg.checkOneLeader();

      cfg.disconnect((leader1 + 1) % servers);
      cfg.disconnect((leader1 + 2) % servers);

      cfg.one(10 + index, servers - 2, true);
      index++;

      cfg.disconnect(leader1);
      cfg.disconnect((leader1 + 3) % servers);
      cfg.disconnect((leader1 + 4) % servers);

      cfg.restart((leader1 + 1) % servers);
      cfg.restart((leader1 + 2) % servers);
      cfg.connect((leader1 + 1) % servers);
      cfg.connect((leader1 + 2) % servers);

      sleep(LABS_ELECTION_TIMEOUT);

      cfg.restart((leader1 + 3) % servers);
      cfg.connect((leader1 + 3) % servers);

      cfg.one(10 + index, servers - 2, true);
      index++;

      cfg.connect((leader1 + 4) % servers);
      cfg.connect(leader1);
    }

    cfg.one(1000, servers, true);
    cfg.end();
  }

  /** TestPersist32C: a committed entry survives the crash of the leader and a follower. */
  @Test
  void committedEntrySurvivesLeaderAndFollowerCrash() {
    int servers = 3;
    RaftCluster cfg = cluster(servers, true);
    cfg.begin("Test (2C): partitioned leader and one follower crash, leader restarts");

    cfg.one(101, servers, true);

    int leader = cfg.checkOneLeader();
    cfg.disconnect((leader + 2) % servers);

    cfg.one(102, 2, true);

    cfg.crash(leader);
    cfg.crash((leader + 1) % servers);
    cfg.connect((leader + 2) % servers);
    cfg.restart(leader);
    cfg.connect(leader);

    cfg.one(103, 2, true);

    cfg.restart((leader + 1) % servers);
    cfg.connect((leader + 1) % servers);

    cfg.one(104, servers, true);
    cfg.end();
  }

  /**
   * TestFigure82C: leaders crash right after proposing, a thousand times; no server ever applies
   * a different command at an index (Figure 8: only current-term entries commit by counting).
   */
  @Test
  void leadersCrashingRightAfterProposingNeverBreakAgreement() {
    int servers = 5;
    RaftCluster cfg = cluster(servers, true);
    cfg.begin("Test (2C): Figure 8");
    Random random = cfg.random();

    cfg.one(random.nextLong(), 1, true);

    int nup = servers;
    for (int iters = 0; iters < 1000; iters++) {
      int leader = -1;
      for (int i = 0; i < servers; i++) {
        if (cfg.node(i) != null && cfg.start(i, random.nextLong()).isPresent()) {
          leader = i;
        }
      }

      if (random.nextInt(1000) < 100) {
        sleep(random.nextInt((int) LABS_ELECTION_TIMEOUT.toMillis() / 2));
      } else {
        sleep(random.nextInt(13));
      }

      if (leader != -1) {
        cfg.crash(leader);
        nup--;
      }

      if (nup < 3) {
        int s = random.nextInt(servers);
        if (cfg.node(s) == null) {
          cfg.restart(s);
          cfg.connect(s);
          nup++;
        }
      }
    }

    for (int i = 0; i < servers; i++) {
      if (cfg.node(i) == null) {
        cfg.restart(i);
        cfg.connect(i);
      }
    }

    cfg.one(random.nextLong(), servers, true);
    cfg.end();
  }

  /** TestUnreliableAgree2C: about 245 concurrent commands agree despite 19% RPC loss. */
  @Test
  void agreesOnConcurrentCommandsOverUnreliableNetwork() {
    int servers = 5;
    RaftCluster cfg = cluster(servers, false);
    cfg.begin("Test (2C): unreliable agreement");

    try (ScenarioThreads clients = new ScenarioThreads("one")) {
      for (int iters = 1; iters < 50; iters++) {
        for (int j = 0; j < 4; j++) {
          long command = 100L * iters + j;
          clients.start(() -> cfg.one(command, 1, true));
        }
        cfg.one(iters, 1, true);
      }

      cfg.network().setReliable(true);

      clients.joinAll(Duration.ofSeconds(60));
    }

    cfg.one(100, servers, true);
    cfg.end();
  }

  /**
   * TestFigure8Unreliable2C: Figure 8 over an unreliable network with, from iteration 200 on,
   * replies held back up to 2.2 s; all five still agree at the end.
   */
  @Test
  void leadersLosingTheNetworkOverUnreliableReorderingNetworkNeverBreakAgreement() {
    int servers = 5;
    RaftCluster cfg = cluster(servers, false);
    cfg.begin("Test (2C): Figure 8 (unreliable)");
    Random random = cfg.random();

    cfg.one(random.nextInt(10000), 1, true);

    int nup = servers;
    for (int iters = 0; iters < 1000; iters++) {
      if (iters == 200) {
        cfg.network().setLongReordering(true);
      }
      int leader = -1;
      for (int i = 0; i < servers; i++) {
        if (cfg.start(i, random.nextInt(10000)).isPresent() && cfg.isConnected(i)) {
          leader = i;
        }
      }

      if (random.nextInt(1000) < 100) {
        sleep(random.nextInt((int) LABS_ELECTION_TIMEOUT.toMillis() / 2));
      } else {
        sleep(random.nextInt(13));
      }

      if (leader != -1 && random.nextInt(1000) < LABS_ELECTION_TIMEOUT.toMillis() / 2) {
        cfg.disconnect(leader);
        nup--;
      }

      if (nup < 3) {
        int s = random.nextInt(servers);
        if (!cfg.isConnected(s)) {
          cfg.connect(s);
          nup++;
        }
      }
    }

    for (int i = 0; i < servers; i++) {
      if (!cfg.isConnected(i)) {
        cfg.connect(i);
      }
    }

    cfg.one(random.nextInt(10000), servers, true);
    cfg.end();
  }

  /** TestReliableChurn2C: every command a client saw committed survives crashes and restarts. */
  @Test
  void committedCommandsSurviveChurn() {
    churn("Test (2C): churn", false);
  }

  /** TestUnreliableChurn2C: the same over an unreliable network. */
  @Test
  void committedCommandsSurviveChurnOverUnreliableNetwork() {
    churn("Test (2C): unreliable churn", true);
  }

  private void churn(String description, boolean unreliable) {
    int servers = 5;
    RaftCluster cfg = cluster(servers, true);
    cfg.begin(description);
    if (unreliable) {
      cfg.network().setReliable(false);
    }
    Random random = cfg.random();
    Set<Long> seenCommitted = ConcurrentHashMap.newKeySet();
    AtomicBoolean stopClients = new AtomicBoolean();

    int clients = 3;
    try (ScenarioThreads threads = new ScenarioThreads("churn-client")) {
      for (int me = 0; me < clients; me++) {
        Random clientRandom = new Random(random.nextLong());
        int id = me;
        threads.start(() -> churnClient(cfg, id, clientRandom, stopClients, seenCommitted));
      }

      for (int iters = 0; iters < 20; iters++) {
        if (random.nextInt(1000) < 200) {
          cfg.disconnect(random.nextInt(servers));
        }
        if (random.nextInt(1000) < 500) {
          int i = random.nextInt(servers);
          if (cfg.node(i) == null) {
            cfg.restart(i);
          }
          cfg.connect(i);
        }
        if (random.nextInt(1000) < 200) {
          int i = random.nextInt(servers);
          if (cfg.node(i) != null) {
            cfg.crash(i);
          }
        }
        // A change every 0.7 labs election timeouts: often enough that the group is rarely
        // settled, rarely enough that it often catches up.
        sleep(LABS_ELECTION_TIMEOUT.multipliedBy(7).dividedBy(10));
      }

      sleep(LABS_ELECTION_TIMEOUT);
      cfg.network().setReliable(true);
      for (int i = 0; i < servers; i++) {
        if (cfg.node(i) == null) {
          cfg.restart(i);
        }
        cfg.connect(i);
      }

      stopClients.set(true);
      threads.joinAll(Duration.ofSeconds(30));
    }

    sleep(LABS_ELECTION_TIMEOUT);

    long lastIndex = cfg.one(random.nextLong(), servers, true);

    // Every index up to lastIndex holds the same command on all servers, or is a no-op that all
    // of them passed over.
    List<Long> really = new ArrayList<>();
    for (long index = 1; index <= lastIndex; index++) {
      if (cfg.nCommitted(index).count() == 0 && cfg.isNoOp(index)) {
        continue;
      }
      really.add(cfg.waitCommitted(index, servers, -1).getAsLong());
    }

    Set<Long> inLog = Set.copyOf(really);
    for (long v : seenCommitted) {
      if (!inLog.contains(v)) {
        fail("didn't find a value (" + v + ") that a client saw committed");
      }
    }
    System.out.println("  clients saw " + seenCommitted.size() + " commands committed; "
        + really.size() + " commands in the final log");
    cfg.end();
  }

  /**
   * One churn client: proposes on every live server; when some accepted, polls for 380 ms
   * whether the command got committed at that index and remembers it if so.
   */
  private static void churnClient(RaftCluster cfg, int me, Random random, AtomicBoolean stop,
      Set<Long> seenCommitted) {
    while (!stop.get() && !cfg.isFinished()) {
      long x = random.nextLong();
      long index = -1;
      boolean ok = false;
      for (int i = 0; i < cfg.size(); i++) {
        // Several servers may believe they lead; remember the last that accepted.
        Optional<LogPosition> accepted = cfg.start(i, x);
        if (accepted.isPresent()) {
          ok = true;
          index = accepted.get().index();
        }
      }
      if (ok) {
        // Look for the command for about 380 ms; it may or may not commit.
        for (int to : new int[] {10, 20, 50, 100, 200}) {
          AppliedLog.Committed c = cfg.nCommitted(index);
          if (c.count() > 0) {
            if (c.command() == x) {
              seenCommitted.add(x);
            }
            break;
          }
          sleep(to);
        }
      } else {
        sleep(79 + me * 17);
      }
    }
  }
}
