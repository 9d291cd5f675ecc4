package io.raftdb.sim.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The same seed gives the same run, event for event: the foundation of replaying failures. */
class SimulationDeterminismTest {

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5, 7})
  void twoRunsOfOneSeedProduceIdenticalEventTraces(int nodes) {
    SimulationOptions options = SimulationOptions.of(4242 + nodes, nodes, 3_000);
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    SimulationResult a = Simulation.run(options, first::add);
    SimulationResult b = Simulation.run(options, second::add);
    assertEquals(first, second);
    assertEquals(a.traceHash(), b.traceHash());
    assertEquals(a.events(), b.events());
    assertEquals(a.stats(), b.stats());
  }

  @ParameterizedTest(name = "{0} nodes")
  @ValueSource(ints = {3, 5})
  void twoRunsOfOneSeedWithSnapshotsProduceIdenticalEventTraces(int nodes) {
    SimulationOptions options = SimulationOptions.of(777 + nodes, nodes, 3_000)
        .withSnapshots(SnapshotMode.ON);
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    SimulationResult a = Simulation.run(options, first::add);
    SimulationResult b = Simulation.run(options, second::add);
    assertEquals(first, second);
    assertEquals(a.traceHash(), b.traceHash());
    assertEquals(a.snapshots(), b.snapshots());
    assertTrue(a.snapshots().taken() > 0, a::report);
  }

  @Test
  void differentSeedsTakeDifferentPaths() {
    SimulationResult a = Simulation.run(SimulationOptions.of(1, 5, 2_000));
    SimulationResult b = Simulation.run(SimulationOptions.of(2, 5, 2_000));
    assertNotEquals(a.traceHash(), b.traceHash());
  }

  @Test
  void aFailureReplaysToTheSameViolationAtTheSameEvent() {
    SimulationOptions base = SimulationOptions.of(1, 3, 3_000)
        .withVariant(BrokenVariant.MUTATING_NETWORK);
    SimulationResult failed = SeedBatches.firstFailure(base, 1, 100);
    assertNotNull(failed, "the mutating network should break something within 100 seeds");
    SimulationResult replayed = Simulation.run(failed.options());
    assertFalse(replayed.passed());
    assertEquals(failed.failure(), replayed.failure());
    assertEquals(failed.traceHash(), replayed.traceHash());
    assertEquals(failed.lastEvents(), replayed.lastEvents());
  }
}
