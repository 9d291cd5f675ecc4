package io.raftdb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Every JMH benchmark, with every parameter combination, runs for a moment in this JVM and
 * produces a result: the benchmarks cannot rot between the runs that measure. This measures
 * nothing (no warm-up, one short iteration, no fork): the figures are in the README, from
 * {@code scripts/bench.sh}.
 */
class BenchmarksSmokeTest {
  private static final Set<String> BENCHMARKS = Set.of("ChronicleAppendBenchmark",
      "KvThroughputBenchmark", "SessionCommitThroughputBenchmark", "SimCommitLatencyBenchmark",
      "SimCommitThroughputBenchmark");

  @Test
  @Timeout(600)
  void everyBenchmarkRunsAndProducesAResult() throws RunnerException {
    Collection<RunResult> results = runOnce(new OptionsBuilder()
        .include("io\\.raftdb\\.bench\\..*"));
    Set<String> ran = new TreeSet<>();
    for (RunResult result : results) {
      String label = result.getParams().getBenchmark();
      ran.add(label.substring("io.raftdb.bench.".length(), label.lastIndexOf('.')));
      assertTrue(result.getPrimaryResult().getScore() > 0, label + " " + result.getParams());
    }
    assertEquals(new TreeSet<>(BENCHMARKS), ran);
  }

  /** The comparison runs that are not among the declared parameters (the README's A/B figures). */
  @Test
  @Timeout(300)
  void theSyncOnLoopComparisonRuns() throws RunnerException {
    assertEachScores(2, runOnce(new OptionsBuilder()
        .include("io\\.raftdb\\.bench\\.SimCommit.*")
        .param("log", "chronicle-sync-on-loop")
        .param("transport", "sim")
        .param("inFlight", "64")));
  }

  @Test
  @Timeout(300)
  void theApplyOnLoopComparisonRuns() throws RunnerException {
    assertEachScores(3, runOnce(new OptionsBuilder()
        .include("io\\.raftdb\\.bench\\.(SimCommit|SessionCommit).*")
        .param("apply", "loop")
        .param("log", "memory")
        .param("path", "session")
        .param("transport", "sim")
        .param("inFlight", "64")));
  }

  private static void assertEachScores(int runs, Collection<RunResult> results) {
    assertEquals(runs, results.size());
    for (RunResult result : results) {
      assertTrue(result.getPrimaryResult().getScore() > 0, result.getParams().toString());
    }
  }

  /** Runs what {@code options} selects once, in this JVM, without warm-up. */
  private static Collection<RunResult> runOnce(ChainedOptionsBuilder options)
      throws RunnerException {
    return new Runner(options
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(100))
        .shouldFailOnError(true)
        .build()).run();
  }
}
