package io.raftdb.sim.dst;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed batch every build runs: for each group size, {@value #SEEDS} seeds of
 * {@value #STEPS} fault-phase events each (crashes, partitions, drops, duplicates, reordering,
 * clock skew, slow disks, stalled nodes, quick restarts, all drawn from the seed; in four seeds of five also snapshots, log
 * compaction and InstallSnapshot), every safety invariant checked after every event, then
 * liveness after healing. Long soaks use {@code scripts/soak.sh}.
 */
class SeedBatchTest {
  static final int SEEDS = 300;
  static final int STEPS = 3_000;
  /** Seeds per group size of the membership batch: thousands in all. */
  static final int MEMBERSHIP_SEEDS = 1_000;
  /** Far from the soak's usual range (1..), so that the batch adds coverage. */
  static final long FIRST_SEED = 1_000_000;

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5, 7})
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void everySafetyAndLivenessPropertyHoldsForEverySeed(int nodes) {
    List<SimulationResult> failed = SeedBatches.failures(
        SimulationOptions.of(FIRST_SEED, nodes, STEPS), FIRST_SEED + nodes * 10_000L, SEEDS);
    assertTrue(failed.isEmpty(), () -> SeedBatches.describe(failed));
  }

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5})
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void leaseReadsStayLinearizableOnSeedsWhoseSkewTheDriftBoundCovers(int nodes) {
    List<SimulationResult> failed = SeedBatches.failures(
        SimulationOptions.of(FIRST_SEED, nodes, STEPS).withLeaseReads(true),
        FIRST_SEED + 500_000 + nodes * 10_000L, SEEDS / 3);
    assertTrue(failed.isEmpty(), () -> SeedBatches.describe(failed));
  }

  /**
   * Membership changes under the same faults: an operator adds learners (promoted once caught
   * up, or not), promotes, removes, and replaces voters several at once, on groups with two more
   * nodes waiting to join; every safety invariant, then liveness among the members. A leader
   * that counts only the incoming voters of a joint change fails 15 seeds of 2000 here.
   */
  @ParameterizedTest(name = "{0} founding voters")
  @ValueSource(ints = {3, 5})
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void membershipChangesKeepEveryPropertyForEverySeed(int nodes) {
    List<SimulationResult> failed = SeedBatches.failures(
        SimulationOptions.of(FIRST_SEED, nodes, STEPS).withMembershipChanges(true),
        FIRST_SEED + 700_000 + nodes * 10_000L, MEMBERSHIP_SEEDS);
    assertTrue(failed.isEmpty(), () -> SeedBatches.describe(failed));
  }

  /** Lease reads while the membership changes: no leader may serve one on a broken promise. */
  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void leaseReadsStayLinearizableWhileTheMembershipChanges() {
    List<SimulationResult> failed = SeedBatches.failures(
        SimulationOptions.of(FIRST_SEED, 3, STEPS).withMembershipChanges(true)
            .withLeaseReads(true), FIRST_SEED + 800_000, SEEDS);
    assertTrue(failed.isEmpty(), () -> SeedBatches.describe(failed));
  }
}
