package io.raftdb.sim.dst;

import java.util.List;

/**
 * The outcome of one simulated run.
 *
 * @param options what was run
 * @param failure the first broken property, or {@code null} if the run passed
 * @param events how many events fired (fault phase and liveness phase)
 * @param virtualTimeMicros the virtual time at the end
 * @param traceHash a hash over every event of the run: equal for two runs of one seed
 * @param lastEvents the last events before the end (or the failure), oldest first
 * @param world the fault plan and protocol settings the seed chose, in one line
 * @param stats counters of the run, in one line
 * @param snapshots what the snapshot machinery did ({@link SnapshotActivity#NONE} without)
 */
public record SimulationResult(SimulationOptions options, SimulationFailure failure, long events,
    long virtualTimeMicros, long traceHash, List<String> lastEvents, String world, String stats,
    SnapshotActivity snapshots) {

  /** Freezes the event list. */
  public SimulationResult {
    lastEvents = List.copyOf(lastEvents);
  }

  /** Whether every check held. */
  public boolean passed() {
    return failure == null;
  }

  /**
   * A report for a person: the seed, the first violated property and the nodes involved, the
   * last events before it, and the command that replays the run.
   */
  public String report() {
    StringBuilder sb = new StringBuilder();
    sb.append(passed() ? "PASSED" : "FAILED").append(" seed=").append(options.seed())
        .append(" nodes=").append(options.nodes()).append(" steps=").append(options.steps())
        .append(" variant=").append(options.variant().cliName()).append('\n');
    sb.append("world: ").append(world).append('\n');
    sb.append("stats: ").append(stats).append('\n');
    if (!passed()) {
      sb.append("violated: ").append(failure.family()).append(" involving ")
          .append(failure.nodes()).append(" after event #").append(failure.event())
          .append(" at ").append(TraceFormat.time(failure.virtualTimeMicros())).append('\n');
      sb.append("  ").append(failure.detail()).append('\n');
      sb.append("last ").append(lastEvents.size()).append(" events:\n");
      for (String line : lastEvents) {
        sb.append("  ").append(line).append('\n');
      }
    }
    sb.append("replay: ").append(options.replayCommand()).append('\n');
    return sb.toString();
  }
}
