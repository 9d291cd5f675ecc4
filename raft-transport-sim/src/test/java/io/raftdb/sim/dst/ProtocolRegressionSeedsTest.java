package io.raftdb.sim.dst;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Runs that found a bug in the protocol, kept as regression tests named for their seeds. Each
 * fails until the protocol is fixed; the assertion message is the run's full report, and
 * {@code scripts/soak.sh} with the options named below plus {@code --verbose} prints every event.
 *
 * <p>The seeds found before the simulator took snapshots run with {@link SnapshotMode#OFF}, which
 * replays them exactly as they were found.
 */
class ProtocolRegressionSeedsTest {

  /**
   * Bug: a stale echo of a message round confirms reads without a quorum. A leader counts the
   * {@code round} echoed by any AppendEntriesResponse of its term as an answer to its own round,
   * but a follower that refuses an AppendEntries of an older term answers with its own, current
   * term and echoes the old message's round, and a node's round counter restarts at 0 when it
   * restarts. So a restarted node that became leader can get, in its own term, the echo of a high
   * round from a message of its earlier life, and believe a follower answered rounds it has not
   * sent yet: ReadIndex (and lease) confirmation no longer needs a real quorum.
   *
   * <p>Seed 26745 (3 nodes, 3000 steps, default world): n3 restarts at 1847 ms and leads term 11
   * (its rounds restarted at 0). At 2398 ms n2 refuses, with term 11, a term-4 AppendEntries of
   * n3's earlier life and echoes its round 15. At 2405 ms n3 is cut off; n1 and n2 elect n1 in
   * term 12 and commit index 108 at 2527 ms. At 2533 ms n3 confirms ReadIndex read #62 at index
   * 107 at once, counting n2's stale echo towards a quorum: the read misses index 108.
   */
  @Test
  void seed26745AnEchoOfAMessageFromAnEarlierLifeMustNotConfirmAReadIndexRound() {
    SimulationResult r = Simulation.run(SimulationOptions.of(26745, 3, 3_000)
        .withSnapshots(SnapshotMode.OFF));
    assertTrue(r.passed(), r::report);
  }

  /**
   * The same bug with lease reads on (seed 2778, 3 nodes, 3000 steps, {@code --lease-reads}):
   * n1 refuses a term-3 AppendEntries of n2's earlier life with term 4 and round 57, which lets
   * n2, deposed and cut off, serve read #72 at index 124 after index 131 was committed.
   */
  @Test
  void seed2778TheSameStaleEchoMustNotConfirmAReadWhenLeaseReadsAreOn() {
    SimulationResult r = Simulation.run(SimulationOptions.of(2778, 3, 3_000)
        .withLeaseReads(true).withSnapshots(SnapshotMode.OFF));
    assertTrue(r.passed(), r::report);
  }

  /**
   * Bug: the leader lease survives a leadership transfer. Voters grant a transfer's RequestVote
   * even though they heard from the leader within an election timeout (as they must, §3.10), so
   * the guard the lease relies on (§6.4.1) is off; yet the old leader keeps answering LEASE reads
   * from its lease while the transfer is under way.
   *
   * <p>Seed 6913 (5 nodes, 20000 steps, {@code --lease-reads}): at 4390 ms leader n2 (term 4)
   * sends TimeoutNow to n3; n1, n4 and n5 grant n3's transfer vote for term 5; at 4392 ms the
   * network splits {n1,n2} | {n3,n4,n5}; n3 commits index 293 at 4397 ms; at 4417 ms n2, still
   * leader of term 4 within its lease, serves LEASE read #116 at index 292. (Seed 6774, 3 nodes,
   * 20000 steps, lease reads, is another instance.)
   */
  @Test
  void seed6913AnOldLeaderMustNotServeLeaseReadsWhileHandingLeadershipOver() {
    SimulationResult r = Simulation.run(SimulationOptions.of(6913, 5, 20_000)
        .withLeaseReads(true).withSnapshots(SnapshotMode.OFF));
    assertTrue(r.passed(), r::report);
  }
}
