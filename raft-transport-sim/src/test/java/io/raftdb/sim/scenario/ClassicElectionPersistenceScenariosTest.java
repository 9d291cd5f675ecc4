package io.raftdb.sim.scenario;

import io.raftdb.RaftConfig;
import java.util.function.UnaryOperator;

/**
 * The 2C persistence scenarios again with pre-vote and check-quorum off, as the labs' Raft has
 * neither: disconnected and restarted servers then disrupt leaders and win elections as they
 * would there, so Figure 8 and the churn tests build the long divergent logs the originals build.
 * Both settings stay on by default.
 */
class ClassicElectionPersistenceScenariosTest extends PersistenceScenariosTest {

  @Override
  UnaryOperator<RaftConfig> tuning() {
    return c -> c.withPreVote(false).withCheckQuorum(false);
  }
}
