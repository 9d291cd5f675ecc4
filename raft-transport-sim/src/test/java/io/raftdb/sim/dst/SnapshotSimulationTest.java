package io.raftdb.sim.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulator really exercises snapshots: nodes take them, compact, ship them in chunks over
 * the lossy network, install and restore them, and restart from them; and switching snapshots
 * off leaves every other choice of a seed as it was.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SnapshotSimulationTest {

  @Test
  void aBatchOfSeedsTakesShipsInstallsAndRestartsFromSnapshots() {
    SnapshotActivity total = SnapshotActivity.NONE;
    for (long seed = 1; seed <= 40; seed++) {
      SimulationResult r = Simulation.run(SimulationOptions.of(seed, 3 + 2 * (int) (seed % 2),
          3_000).withSnapshots(SnapshotMode.ON));
      assertTrue(r.passed(), r::report);
      total = total.plus(r.snapshots());
    }
    SnapshotActivity t = total;
    assertTrue(t.taken() > 100 && t.compactions() > 100, t::describe);
    assertTrue(t.transfers() > 10 && t.chunks() > t.transfers(), t::describe);
    assertTrue(t.received() > 5 && t.installed() > 5, t::describe);
    assertTrue(t.restarts() > 5, t::describe);
  }

  @Test
  void chunksTravelTheNetworkAsInstallSnapshotMessages() {
    List<String> lines = new ArrayList<>();
    // Seed 11 (5 nodes) sends fifteen snapshots in chunks; most seeds send some.
    SimulationResult r = Simulation.run(SimulationOptions.of(11, 5, 3_000)
        .withSnapshots(SnapshotMode.ON), lines::add);
    assertTrue(r.passed(), r::report);
    assertTrue(lines.stream().anyMatch(l -> l.contains(" InstallSnapshot t")), r::report);
    assertTrue(lines.stream().anyMatch(l -> l.contains(" InstallSnapshotResponse t")
        && l.contains(" done")), r::report);
    assertTrue(lines.stream().anyMatch(l -> l.contains(" snap=")), r::report);
  }

  @Test
  void withSnapshotsOffNoSnapshotIsTakenAndTheWorldIsTheSame() {
    SimulationResult off = Simulation.run(SimulationOptions.of(13, 5, 3_000)
        .withSnapshots(SnapshotMode.OFF));
    SimulationResult on = Simulation.run(SimulationOptions.of(13, 5, 3_000)
        .withSnapshots(SnapshotMode.ON));
    assertEquals(SnapshotActivity.NONE, off.snapshots());
    assertTrue(off.world().endsWith("no snapshots"), off.world());
    // The snapshot plan comes from a stream of its own: the faults drawn are the same.
    String faults = off.world().substring(0, off.world().indexOf(';'));
    assertTrue(on.world().startsWith(faults + ";"), on.world());
  }

  @Test
  void mostSeedsTakeSnapshotsByDefault() {
    int on = 0;
    for (long seed = 0; seed < 1_000; seed++) {
      if (SnapshotPlan.draw(seed, SnapshotMode.SEEDED, BrokenVariant.NONE).on()) {
        on++;
      }
    }
    assertTrue(on > 700 && on < 900, on + " of 1000 seeds");
    assertFalse(SnapshotPlan.draw(5, SnapshotMode.OFF, BrokenVariant.EAGER_COMPACTION).on());
    assertEquals(SnapshotPlan.draw(5, SnapshotMode.ON, BrokenVariant.NONE),
        SnapshotPlan.draw(5, SnapshotMode.ON, BrokenVariant.LYING_SYNC));
  }
}
