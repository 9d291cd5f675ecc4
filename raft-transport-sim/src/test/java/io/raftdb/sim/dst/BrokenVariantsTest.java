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
  /**
   * How many seeds the tick-lease search and its control run. The variant needs a leader's loop
   * held up while it is cut off; with pipelined persistence only stalls and syncs in line (term
   * changes, truncations) hold a loop, so the first catching seed is 372 (about one seed in 140
   * catches it).
   */
  private static final int SEARCH = 1_000;

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
   * arrives after the restart, which needs a long network delay: a few 3-node seeds in a
   * thousand (without snapshots; the first was 904, then 317, then 247 as the fault menu and the
   * protocol's messages changed, which is why the test searches instead of naming one). With the
   * vote check off, Election Safety catches it.
   */
  @Test
  void aForgottenVoteThatElectsTwoLeadersInOneTermBreaksElectionSafety() {
    SimulationResult r = SeedBatches.firstFailure(SimulationOptions.of(1, 3, STEPS)
        .withVariant(BrokenVariant.FORGETFUL_VOTE).without(InvariantFamily.DURABLE_HARD_STATE)
        .withSnapshots(SnapshotMode.OFF), 1, 2_000);
    assertNotNull(r, "no seed of 2000 elected two leaders with the forgetful vote store");
    assertEquals(InvariantFamily.ELECTION_SAFETY, r.failure().family(), r::report);
    assertEquals(2, r.failure().nodes().size());
  }

  /**
   * Runs with {@code LEASE} reads on (and the seed's clock skew covered by the configured drift
   * bound), seeds {@code 1..seeds}: the first failure, or {@code null}.
   */
  private static SimulationResult firstLeaseFailure(BrokenVariant variant, int nodes, int seeds) {
    return SeedBatches.firstFailure(SimulationOptions.of(1, nodes, STEPS).withVariant(variant)
        .withLeaseReads(true), 1, seeds);
  }

  @Test
  void aLogWhoseSyncLiesIsCaughtLosingACommittedEntry() {
    // Liveness off: a lost acknowledgement can also leave a follower stuck, which is true but not
    // what this test is about.
    SimulationResult r = firstFailure(BrokenVariant.LYING_SYNC, 3, 100,
        InvariantFamily.LIVENESS);
    assertNotNull(r, "no seed of 100 caught the lying sync");
    assertTrue(SAFETY.contains(r.failure().family()), r::report);
    // Without Leader Completeness, the lost entry shows as divergent state machines.
    SimulationResult divergence = firstFailure(BrokenVariant.LYING_SYNC, 3, 200,
        InvariantFamily.LEADER_COMPLETENESS, InvariantFamily.LIVENESS);
    assertNotNull(divergence, "no seed of 200 showed the lying sync as divergence");
    assertTrue(SAFETY.contains(divergence.failure().family()), divergence::report);
  }

  @Test
  void acknowledgingWrittenEntriesBeforeTheirSyncReturnsIsCaughtLosingACommittedEntry() {
    SimulationResult r = firstFailure(BrokenVariant.ACK_BEFORE_SYNC, 3, 300,
        InvariantFamily.LIVENESS);
    assertNotNull(r, "no seed of 300 caught acknowledgements running ahead of the sync");
    assertTrue(SAFETY.contains(r.failure().family()), r::report);
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

  /**
   * The lease timed by ticks (issue 14, bug 1): a leader whose loop is held up (a stall, a sync
   * in line) while it is cut off fires at most three catch-up ticks, so by its tick count its lease
   * still holds when another leader has long been elected and has committed; a stale read shows.
   */
  @Test
  void aLeaseTimedByTicksIsCaughtServingAStaleLeaseRead() {
    SimulationResult r = firstLeaseFailure(BrokenVariant.TICK_LEASE, 3, SEARCH);
    assertNotNull(r, "no seed of " + SEARCH + " caught the lease timed by ticks");
    assertEquals(InvariantFamily.LINEARIZABLE_READS, r.failure().family(), r::report);
    assertTrue(Simulation.run(r.options().withVariant(BrokenVariant.NONE)).passed(),
        "the same seed must pass with the lease on the monotonic clock");
  }

  /**
   * Votes right after a restart (issue 14, bug 2): a follower acknowledges the leader, crashes
   * and is back within an election timeout; a node the leader cannot reach has been campaigning
   * with a log as good as anyone's (the clients were quiet) and gets the restarted node's vote
   * at once, and commits, while the old leader still serves {@code LEASE} reads on the strength
   * of that acknowledgement.
   *
   * <p>This takes several faults at once (a cut link, quiet clients, a crash right after an
   * acknowledgement and a restart within the timeout, a read at the right moment), so it is rare:
   * about one 3-node seed in 2,000. The first such seed moves whenever the protocol's messages
   * change (it was 874, then 4456 once followers forwarded their reads), so the test searches.
   * In seed 4456, n3 acknowledges leader n2 and crashes at once, is back 8 ms later, grants
   * candidate n1 its vote as soon as asked, n1 commits index 58, and n2 still serves a LEASE read
   * from index 57.
   */
  @Test
  void votingRightAfterARestartIsCaughtBreakingTheLeaseOfTheLeaderItAcknowledged() {
    SimulationResult r = firstLeaseFailure(BrokenVariant.EAGER_VOTES_AFTER_RESTART, 3, 10_000);
    assertNotNull(r, "no seed of 10000 caught votes right after a restart");
    assertEquals(InvariantFamily.LINEARIZABLE_READS, r.failure().family(), r::report);
    assertTrue(Simulation.run(r.options().withVariant(BrokenVariant.NONE)).passed(),
        "the same seed must pass with the start-up quiet period");
  }

  /** The control for the two lease variants: the same search with nothing broken is clean. */
  @Test
  void leaseReadsStayLinearizableOverTheSameSearchWithNothingBroken() {
    List<SimulationResult> failed = SeedBatches.failures(
        SimulationOptions.of(1, 3, STEPS).withLeaseReads(true), 1, SEARCH);
    assertTrue(failed.isEmpty(), () -> SeedBatches.describe(failed));
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
