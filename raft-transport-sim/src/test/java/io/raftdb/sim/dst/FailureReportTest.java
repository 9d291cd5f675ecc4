package io.raftdb.sim.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A failure report names the seed, the property, the nodes, the last events and the replay. */
class FailureReportTest {

  @Test
  void aFailureReportHoldsEverythingNeededToUnderstandAndReplayIt() {
    SimulationResult r = SeedBatches.firstFailure(
        SimulationOptions.of(1, 3, 3_000).withVariant(BrokenVariant.LYING_SYNC)
            .without(InvariantFamily.LIVENESS), 1, 100);
    assertNotNull(r);
    String report = r.report();
    assertTrue(report.startsWith("FAILED seed=" + r.options().seed() + " nodes=3"), report);
    assertTrue(report.contains("violated: " + r.failure().family() + " involving "
        + r.failure().nodes()), report);
    assertFalse(r.failure().nodes().isEmpty(), report);
    assertEquals(Trace.KEPT, r.lastEvents().size());
    assertTrue(r.lastEvents().get(Trace.KEPT - 1).contains("VIOLATION"), report);
    assertTrue(report.contains("replay: " + r.options().replayCommand()), report);
    assertTrue(report.contains("world: drop="), report);
  }

  @Test
  void aPassingRunReportsItsWorldAndStatsButNoEvents() {
    SimulationResult r = Simulation.run(SimulationOptions.of(5, 3, 1_000));
    assertTrue(r.passed(), r::report);
    assertTrue(r.report().startsWith("PASSED seed=5"));
    assertTrue(r.stats().contains("committed="), r.stats());
  }
}
