package io.raftdb.sim.scenario;

import static io.raftdb.sim.scenario.RaftCluster.LABS_ELECTION_TIMEOUT;
import static io.raftdb.sim.scenario.RaftCluster.sleep;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Part 2A of the MIT 6.824 Raft labs: leader election, on RaftDB's runtime and the simulated
 * network. Each test follows its lab counterpart step by step (see mit-6824-tests.md, 3.1).
 */
class ElectionScenariosTest extends RaftScenarioTest {

  /** TestInitialElection2A: a leader appears, all agree on its term, and it stays. */
  @Test
  void electsOneLeaderAndKeepsItWithoutFailures() {
    RaftCluster cfg = cluster(3, true);
    cfg.begin("Test (2A): initial election");

    cfg.checkOneLeader();

    // Followers may learn of the new term a moment after the leader reports it.
    sleep(50);
    long term1 = cfg.checkTerms();
    assertTrue(term1 >= 1, "term is " + term1 + ", but should be at least 1");

    // Without faults, leader and term should hold for two labs election timeouts.
    sleep(LABS_ELECTION_TIMEOUT.multipliedBy(2));
    long term2 = cfg.checkTerms();
    if (term1 != term2) {
      System.out.println("warning: term changed even though there were no failures");
    }

    cfg.checkOneLeader();
    cfg.end();
  }

  /** TestReElection2A: a new leader after the old one is cut off; none without a majority. */
  @Test
  void electsNewLeaderAfterNetworkFailureAndNoneWithoutMajority() {
    int servers = 3;
    RaftCluster cfg = cluster(servers, true);
    cfg.begin("Test (2A): election after network failure");

    int leader1 = cfg.checkOneLeader();

    // Losing the leader: the other two elect one.
    cfg.disconnect(leader1);
    cfg.checkOneLeader();

    // The old leader comes back; there must still be one leader per term.
    cfg.connect(leader1);
    int leader2 = cfg.checkOneLeader();

    // Two of three gone: the one left has no quorum.
    cfg.disconnect(leader2);
    cfg.disconnect((leader2 + 1) % servers);
    sleep(LABS_ELECTION_TIMEOUT.multipliedBy(2));

    cfg.checkNoLeader();

    // Two of three again: a quorum, so a leader.
    cfg.connect((leader2 + 1) % servers);
    cfg.checkOneLeader();

    // All three: still a leader.
    cfg.connect(leader2);
    cfg.checkOneLeader();

    cfg.end();
  }

  /** TestManyElections2A: seven servers keep a leader while up to three at a time drop out. */
  @Test
  void keepsOrElectsLeaderWhileRandomMinoritiesDisconnect() {
    int servers = 7;
    RaftCluster cfg = cluster(servers, true);
    cfg.begin("Test (2A): multiple elections");

    cfg.checkOneLeader();

    int iters = 10;
    for (int ii = 1; ii < iters; ii++) {
      // Three draws with repeats: one to three distinct servers drop out, never a majority.
      int i1 = cfg.random().nextInt(servers);
      int i2 = cfg.random().nextInt(servers);
      int i3 = cfg.random().nextInt(servers);
      cfg.disconnect(i1);
      cfg.disconnect(i2);
      cfg.disconnect(i3);

      cfg.checkOneLeader();

      cfg.connect(i1);
      cfg.connect(i2);
      cfg.connect(i3);
    }

    cfg.checkOneLeader();
    cfg.end();
  }
}
