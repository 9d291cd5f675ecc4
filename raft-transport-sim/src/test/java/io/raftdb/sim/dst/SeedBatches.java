package io.raftdb.sim.dst;

import java.util.ArrayList;
import java.util.List;

/** Runs consecutive seeds of one kind of simulation, for the batch and teeth tests. */
final class SeedBatches {
  private SeedBatches() {}

  /** Runs seeds {@code first .. first+count-1} of {@code base}; returns the failed runs. */
  static List<SimulationResult> failures(SimulationOptions base, long first, int count) {
    List<SimulationResult> failed = new ArrayList<>();
    for (long seed = first; seed < first + count; seed++) {
      SimulationResult r = Simulation.run(base.withSeed(seed));
      if (!r.passed()) {
        failed.add(r);
      }
    }
    return failed;
  }

  /** The first failed run among seeds {@code first .. first+count-1}, or {@code null}. */
  static SimulationResult firstFailure(SimulationOptions base, long first, int count) {
    for (long seed = first; seed < first + count; seed++) {
      SimulationResult r = Simulation.run(base.withSeed(seed));
      if (!r.passed()) {
        return r;
      }
    }
    return null;
  }

  /** The reports of {@code failed}, the first few in full, for an assertion message. */
  static String describe(List<SimulationResult> failed) {
    StringBuilder sb = new StringBuilder(failed.size() + " seeds failed\n");
    for (int i = 0; i < failed.size(); i++) {
      SimulationResult r = failed.get(i);
      sb.append(i < 2 ? r.report() : "seed " + r.options().seed() + ": " + r.failure().family()
          + " " + r.failure().detail() + "\n");
    }
    return sb.toString();
  }
}
