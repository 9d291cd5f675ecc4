package io.raftdb.sim.scenario;

import io.raftdb.RaftConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every scenario test class shares: a seed per test that is named when the test fails, the
 * labs' 120-second limit per test, and clusters that are always closed (and their appliers
 * checked) when the test ends.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class RaftScenarioTest {

  @RegisterExtension
  final ScenarioSeed seed = new ScenarioSeed();

  private final List<RaftCluster> clusters = new ArrayList<>();

  /** The disk the nodes use; in-memory unless a subclass overrides it. */
  StorageKind storageKind() {
    return StorageKind.MEMORY;
  }

  /** The nodes' settings on top of the harness's; RaftDB's defaults unless overridden. */
  UnaryOperator<RaftConfig> tuning() {
    return UnaryOperator.identity();
  }

  /** A cluster of {@code servers} servers on {@link #storageKind()}. */
  RaftCluster cluster(int servers, boolean reliable) {
    return cluster(servers, reliable, storageKind());
  }

  /** A cluster of {@code servers} servers on the given storage, seeded with this test's seed. */
  RaftCluster cluster(int servers, boolean reliable, StorageKind storage) {
    RaftCluster cluster = new RaftCluster(servers, reliable, storage,
        seed.value() + clusters.size(), tuning());
    clusters.add(cluster);
    return cluster;
  }

  @AfterEach
  void closeClusters() {
    List<RaftCluster> toClose = new ArrayList<>(clusters);
    clusters.clear();
    RuntimeException closeFailure = null;
    for (RaftCluster c : toClose) {
      try {
        c.close();
      } catch (RuntimeException e) {
        closeFailure = closeFailure == null ? e : closeFailure;
      }
    }
    for (RaftCluster c : toClose) {
      c.assertNoApplyErrors();
    }
    if (closeFailure != null) {
      throw closeFailure;
    }
  }
}
