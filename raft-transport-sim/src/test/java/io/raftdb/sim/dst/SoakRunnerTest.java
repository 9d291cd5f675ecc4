package io.raftdb.sim.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakRunnerTest {

  private static String run(int[] status, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    status[0] = SoakRunner.run(SoakArguments.parse(args), out);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aCleanSoakSummarisesSeedsAndStepsAndExitsZero() {
    int[] status = new int[1];
    String out = run(status, "--seeds", "3", "--first", "10", "--steps", "500");
    assertEquals(0, status[0], out);
    assertTrue(out.contains("soak: 3 seeds (from 10) x 500 fault-phase steps"), out);
    assertTrue(out.contains("0 failed"), out);
  }

  @Test
  void aFailingSeedIsReportedWithItsPropertyLastEventsAndReplayCommand() {
    int[] status = new int[1];
    String out = run(status, "--seeds", "40", "--nodes", "3", "--variant", "mutating-network");
    assertEquals(1, status[0], out);
    assertTrue(out.contains("FAILED seed="), out);
    assertTrue(out.contains("violated: "), out);
    assertTrue(out.contains("last 50 events:"), out);
    assertTrue(out.contains("replay: scripts/soak.sh --seed "), out);
    assertTrue(out.contains("--variant mutating-network"), out);
  }

  @Test
  void replayingOneSeedPrintsItsFullReportAndTraceHash() {
    int[] status = new int[1];
    String out = run(status, "--seed", "7", "--nodes", "3", "--steps", "300");
    assertEquals(0, status[0], out);
    assertTrue(out.contains("PASSED seed=7 nodes=3 steps=300"), out);
    assertTrue(out.contains("trace hash: "), out);
  }

  @Test
  void nodesRotateThroughThreeFiveAndSevenUnlessGiven() {
    SoakArguments rotating = SoakArguments.parse();
    assertEquals(3, rotating.nodesFor(3));
    assertEquals(5, rotating.nodesFor(4));
    assertEquals(7, rotating.nodesFor(5));
    assertEquals(5, SoakArguments.parse("--nodes", "5").nodesFor(3));
  }

  @Test
  void theLeaseVariantsAreNamedOnTheCommandLineAndInTheHelp() {
    assertEquals(BrokenVariant.TICK_LEASE,
        SoakArguments.parse("--variant", "tick-lease").variant());
    assertEquals(BrokenVariant.EAGER_VOTES_AFTER_RESTART,
        SoakArguments.parse("--variant", "eager-votes-after-restart").variant());
    assertTrue(SoakArguments.USAGE.contains("tick-lease"), SoakArguments.USAGE);
    assertTrue(SoakArguments.USAGE.contains("eager-votes-after-restart"), SoakArguments.USAGE);
  }

  @Test
  void badArgumentsAreRefusedWithAClearMessage() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SoakArguments.parse("--seeds", "0")).getMessage().contains("--seeds"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SoakArguments.parse("--steps")).getMessage().contains("needs a value"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SoakArguments.parse("--nodes", "x")).getMessage().contains("whole number"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SoakArguments.parse("--variant", "evil")).getMessage().contains("lying-sync"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SoakArguments.parse("--frobnicate")).getMessage().contains("--frobnicate"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SoakArguments.parse("--skip-check", "nonsense")).getMessage().contains("LIVENESS"));
  }

  @Test
  void theReplayCommandParsesBackToTheSameOptions() {
    SimulationOptions options = SimulationOptions.of(99, 5, 1234)
        .withVariant(BrokenVariant.LYING_SYNC).withLeaseReads(true)
        .without(InvariantFamily.LIVENESS);
    for (SimulationOptions o : List.of(options, options.withSnapshots(SnapshotMode.OFF),
        options.withSnapshots(SnapshotMode.ON))) {
      String[] words = o.replayCommand().split(" ");
      String[] args = java.util.Arrays.copyOfRange(words, 1, words.length);
      assertEquals(o, SoakArguments.parse(args).optionsFor(99));
    }
    assertFalse(options.checks(InvariantFamily.LIVENESS));
    assertTrue(options.withSnapshots(SnapshotMode.OFF).replayCommand()
        .endsWith("--snapshots off --skip-check LIVENESS"));
  }

  @Test
  void theSummaryCountsWhatTheSnapshotMachineryDid() {
    int[] status = new int[1];
    String out = run(status, "--seeds", "2", "--nodes", "3", "--steps", "2000",
        "--snapshots", "on");
    assertEquals(0, status[0], out);
    assertTrue(out.contains("snapshots on: 2 seeds with snapshot activity; snapshots taken="),
        out);
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> SoakArguments.parse("--snapshots", "sometimes")).getMessage().contains("seeded"));
  }
}
