package io.raftdb.sim.dst;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The command-line runner for long soaks of the deterministic simulator: runs many seeds one
 * after the other, prints progress, every failure's report (seed, broken property, last events,
 * replay command) and a summary of seeds and events run. Exit status 0 if every seed passed, 1 if
 * some failed, 2 on a bad command line. See {@link SoakArguments#USAGE}.
 */
public final class SoakRunner {
  /** Failures beyond this many are listed by seed only. */
  static final int FULL_REPORTS = 3;
  /** Progress is printed every this many seeds. */
  static final long PROGRESS_EVERY = 500;

  private SoakRunner() {}

  /** Runs the soak the arguments describe. */
  public static void main(String[] args) {
    if (java.util.Arrays.asList(args).contains("--help")) {
      System.out.println(SoakArguments.USAGE);
      return;
    }
    SoakArguments parsed;
    try {
      parsed = SoakArguments.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(SoakArguments.USAGE);
      System.exit(2);
      return;
    }
    System.exit(run(parsed, System.out));
  }

  /** Runs the soak, printing to {@code out}; returns the exit status. */
  static int run(SoakArguments a, PrintStream out) {
    long started = System.nanoTime();
    long deadline = a.maxMinutes() > 0 ? started + (long) (a.maxMinutes() * 60e9) : Long.MAX_VALUE;
    List<Long> failed = new ArrayList<>();
    long runs = 0;
    long events = 0;
    long virtualMicros = 0;
    long withSnapshots = 0;
    SnapshotActivity snapshots = SnapshotActivity.NONE;
    for (long seed = a.firstSeed(); seed < a.firstSeed() + a.seeds(); seed++) {
      if (System.nanoTime() > deadline) {
        out.println("time limit of " + a.maxMinutes() + " minutes reached; stopping");
        break;
      }
      SimulationOptions options = a.optionsFor(seed);
      SimulationResult r;
      try {
        r = a.verbose() ? Simulation.run(options, out::println) : Simulation.run(options);
      } catch (IllegalStateException e) {
        out.println("SIMULATOR ERROR in seed " + seed + ": " + e.getMessage());
        e.printStackTrace(out);
        failed.add(seed);
        runs++;
        continue;
      }
      runs++;
      events += r.events();
      virtualMicros += r.virtualTimeMicros();
      if (!r.snapshots().equals(SnapshotActivity.NONE)) {
        withSnapshots++;
        snapshots = snapshots.plus(r.snapshots());
      }
      if (!r.passed()) {
        failed.add(seed);
        if (failed.size() <= FULL_REPORTS || a.replay()) {
          out.print(r.report());
        } else {
          out.println("FAILED seed=" + seed + " " + r.failure().family() + ": "
              + r.failure().detail() + "\n  replay: " + options.replayCommand());
        }
      } else if (a.replay()) {
        out.print(r.report());
        out.printf("trace hash: %016x%n", r.traceHash());
      }
      if (runs % PROGRESS_EVERY == 0) {
        out.printf("progress: %d seeds, %d events, %d failed, %.0fs%n", runs, events,
            failed.size(), (System.nanoTime() - started) / 1e9);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf("soak: %d seeds (from %d) x %d fault-phase steps: %d events in total, "
            + "%.0f virtual seconds, %.1f wall seconds, variant %s; %d failed%s%n",
        runs, a.firstSeed(), a.steps(), events, virtualMicros / 1e6, seconds,
        a.variant().cliName(), failed.size(), failed.isEmpty() ? "" : " " + failed);
    out.printf("snapshots %s: %d seeds with snapshot activity; %s%n", a.snapshots().cliName(),
        withSnapshots, snapshots.describe());
    return failed.isEmpty() ? 0 : 1;
  }
}
