package io.raftdb.sim.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The checker has teeth: each deliberately broken piece of the world around the protocol is
 * caught within a bounded number of seeds, by the property it actually breaks, and the one
 * harmless fault (duplicate delivery) is not reported.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BrokenVariantsTest {
  private static final int STEPS = 3_000;

  /** Families that mean a broken safety property (as opposed to liveness). */
  private static final Set<InvariantFamily> SAFETY = EnumSet.complementOf(
      EnumSet.of(InvariantFamily.LIVENESS));

  private static SimulationResult firstFailure(BrokenVariant variant, int nodes, int seeds,
      InvariantFamily... skipped) {
    SimulationOptions options = SimulationOptions.of(1, nodes, STEPS).withVariant(variant);
    for (InvariantFamily f : skipped) {
      options = options.without(f);
    }
    return SeedBatches.firstFailure(options, 1, seeds);
  }

  @Test
  void aMetaStoreThatForgetsTheVoteIsCaughtPersistingASecondVoteInOneTerm() {
    SimulationResult r = firstFailure(BrokenVariant.FORGETFUL_VOTE, 3, 300);
    assertNotNull(r, "no seed of 300 caught the forgetful vote store");
    assertEquals(InvariantFamily.DURABLE_HARD_STATE, r.failure().family(), r::report);
    assertTrue(r.failure().detail().contains("persisted a vote for"), r::report);
  }

  /**
   * A second vote elects a second leader only when another candidate's request of the same term
   * arrives after the restart, which needs a long network delay; among 3-node seeds 1..1500 the
   * first where that happens is 904 (found without snapshots). With the vote check off, Election
   * Safety catches it there.
   */
  @Test
  void aForgottenVoteThatElectsTwoLeadersInOneTermBreaksElectionSafety() {
    SimulationResult r = Simulation.run(SimulationOptions.of(904, 3, STEPS)
        .withVariant(BrokenVariant.FORGETFUL_VOTE).without(InvariantFamily.DURABLE_HARD_STATE)
        .withSnapshots(SnapshotMode.OFF));
    assertEquals(InvariantFamily.ELECTION_SAFETY, r.passed() ? null : r.failure().family(),
        r::report);
    assertEquals(2, r.failure().nodes().size());
  }

  @Test
  void aLogWhoseSyncLiesIsCaughtLosingACommittedEntry() {
    SimulationResult r = firstFailure(BrokenVariant.LYING_SYNC, 3, 100);
    assertNotNull(r, "no seed of 100 caught the lying sync");
    assertTrue(SAFETY.contains(r.failure().family()), r::report);
    // Without Leader Completeness, the lost entry shows as divergent state machines.
    SimulationResult divergence = firstFailure(BrokenVariant.LYING_SYNC, 3, 200,
        InvariantFamily.LEADER_COMPLETENESS, InvariantFamily.LIVENESS);
    assertNotNull(divergence, "no seed of 200 showed the lying sync as divergence");
    assertTrue(SAFETY.contains(divergence.failure().family()), divergence::report);
  }

  @Test
  void aNetworkThatCorruptsAppendEntriesIsCaught() {
    SimulationResult r = firstFailure(BrokenVariant.MUTATING_NETWORK, 3, 100);
    assertNotNull(r, "no seed of 100 caught the corrupting network");
    assertTrue(SAFETY.contains(r.failure().family()), r::report);
    // Not only stale reads: the corrupted log itself breaks a log or commit property.
    SimulationResult logFault = firstFailure(BrokenVariant.MUTATING_NETWORK, 3, 300,
        InvariantFamily.LINEARIZABLE_READS);
    assertNotNull(logFault, "no seed of 300 caught the corrupting network without reads");
    assertTrue(SAFETY.contains(logFault.failure().family()), logFault::report);
  }

  @Test
  void compactingTheLogBeforeItsSnapshotIsDurableIsCaught() {
    SimulationResult r = firstFailure(BrokenVariant.EAGER_COMPACTION, 3, 20);
    assertNotNull(r, "no seed of 20 caught compaction ahead of a durable snapshot");
    assertEquals(InvariantFamily.COMPACTION_SAFETY, r.failure().family(), r::report);
  }

  @Test
  void aSnapshotThatIsNotAPointInTimeViewIsCaughtHoldingTheWrongState() {
    SimulationResult r = firstFailure(BrokenVariant.UNPINNED_SNAPSHOT, 3, 50);
    assertNotNull(r, "no seed of 50 caught a snapshot written from the live state");
    assertEquals(InvariantFamily.STATE_MACHINE_SAFETY, r.failure().family(), r::report);
    assertTrue(r.failure().detail().contains("snapshot"), r::report);
  }

  @Test
  void aNetworkThatDeliversEveryMessageTwiceBreaksNothing() {
    List<SimulationResult> failed = SeedBatches.failures(
        SimulationOptions.of(1, 3, STEPS).withVariant(BrokenVariant.DUPLICATING_NETWORK), 1, 100);
    failed.addAll(SeedBatches.failures(
        SimulationOptions.of(1, 5, STEPS).withVariant(BrokenVariant.DUPLICATING_NETWORK), 1, 100));
    failed.addAll(SeedBatches.failures(SimulationOptions.of(1, 3, STEPS)
        .withVariant(BrokenVariant.DUPLICATING_NETWORK).withSnapshots(SnapshotMode.ON), 101, 100));
    assertTrue(failed.isEmpty(), () -> SeedBatches.describe(failed));
  }
}
