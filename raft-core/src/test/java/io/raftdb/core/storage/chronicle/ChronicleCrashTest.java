package io.raftdb.core.storage.chronicle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.message.LogEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random moments (issue 3): a child JVM ({@link CrashingWriterMain}) appends with a
 * sync per batch, truncates, compacts and resets, and is killed with SIGKILL (what
 * {@link Process#destroyForcibly()} sends on Linux) at a random time, often mid-roll. After each
 * kill the log is reopened here and must hold every acknowledged entry, be contiguous with
 * non-decreasing terms and intact payloads, and accept a new write. Recovery times are printed.
 *
 * <p>{@code -Draftdb.crash.rounds=N} (default 30) and {@code -Draftdb.crash.seed=S}.
 */
class ChronicleCrashTest {
  @TempDir
  Path dir;

  /** What the child said it may rely on, as the parent saw it. */
  private static final class Promises {
    final TreeMap<Long, Long> ackedTerms = new TreeMap<>();

    void apply(String line) {
      String[] parts = line.split(" ");
      switch (parts[0]) {
        case "S" -> {
          long term = Long.parseLong(parts[3]);
          for (long i = Long.parseLong(parts[1]); i <= Long.parseLong(parts[2]); i++) {
            ackedTerms.put(i, term);
          }
        }
        case "T" -> ackedTerms.tailMap(Long.parseLong(parts[1]), true).clear();
        case "R" -> ackedTerms.clear(); // the snapshot replaces the log
        default -> { } // READY
      }
    }
  }

  @Test
  void everyAcknowledgedEntrySurvivesKillDashNine() throws Exception {
    int rounds = Integer.getInteger("raftdb.crash.rounds", 30);
    long seed = Long.getLong("raftdb.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    Path log = dir.resolve("log");
    List<Long> recoveryMillis = new ArrayList<>();
    Promises promises = new Promises();
    for (int round = 0; round < rounds; round++) {
      Path stdout = dir.resolve("child-" + round + ".out");
      Path stderr = dir.resolve("child-" + round + ".err");
      Process child = ChildJvm.start(ChildJvm.chronicleFlags(), CrashingWriterMain.class, stdout,
          stderr, log.toString(), Long.toString(random.nextLong()));
      try {
        awaitReady(stdout, child, stderr);
        Thread.sleep(random.nextInt(300)); // work for a random while, then die mid-whatever
      } finally {
        child.destroyForcibly();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "killed child did not exit");
      }
      int syncs = 0;
      for (String line : completeLines(stdout)) {
        promises.apply(line);
        syncs += line.startsWith("S ") ? 1 : 0;
      }
      long started = System.nanoTime();
      try (ChronicleLogStorage reopened = ChronicleLogStorage.builder(log).blockSize(1 << 20)
          .verifyAllRecordsOnOpen(round % 2 == 0).open()) {
        recoveryMillis.add((System.nanoTime() - started) / 1_000_000);
        String context = "seed " + seed + " round " + round + " (" + syncs + " syncs, stderr "
            + stderr + ")";
        checkRecovered(reopened, promises, context);
        long next = reopened.lastIndex() + 1;
        long term = reopened.term(reopened.lastIndex()) + 1;
        reopened.append(List.of(LogEntry.command(next, term, CrashingWriterMain.payload(next,
            term))));
        reopened.sync();
        promises.apply("S " + next + " " + next + " " + term);
        assertEquals(next, reopened.lastIndex(), context);
      }
    }
    List<Long> sorted = new ArrayList<>(recoveryMillis);
    Collections.sort(sorted);
    System.out.println("kill -9 crash test, seed " + seed + ", " + rounds + " rounds: recovery "
        + "took min " + sorted.get(0) + " ms, median " + sorted.get(sorted.size() / 2)
        + " ms, max " + sorted.get(sorted.size() - 1) + " ms (per round: " + recoveryMillis
        + ")");
  }

  private static void checkRecovered(ChronicleLogStorage log, Promises promises, String context) {
    long first = log.firstIndex();
    long last = log.lastIndex();
    List<LogEntry> entries = log.entries(first, last + 1, Long.MAX_VALUE);
    assertEquals(last - first + 1, entries.size(), "contiguous range, " + context);
    long previousTerm = log.term(first - 1);
    for (int k = 0; k < entries.size(); k++) {
      LogEntry entry = entries.get(k);
      assertEquals(first + k, entry.index(), "contiguous indices, " + context);
      assertTrue(entry.term() >= previousTerm, "terms never decrease at " + entry.index()
          + ", " + context);
      assertArrayEquals(CrashingWriterMain.payload(entry.index(), entry.term()), entry.payload(),
          "intact payload at " + entry.index() + ", " + context);
      assertEquals(entry.term(), log.term(entry.index()), "term lookup, " + context);
      previousTerm = entry.term();
    }
    if (!promises.ackedTerms.isEmpty()) {
      long lastAcked = promises.ackedTerms.lastKey();
      if (last < lastAcked) {
        fail("acknowledged entry " + lastAcked + " lost: the log ends at " + last + ", "
            + context);
      }
      for (var acked : promises.ackedTerms.tailMap(first, true).entrySet()) {
        assertEquals(acked.getValue(), log.term(acked.getKey()),
            "acknowledged entry " + acked.getKey() + " replaced, " + context);
      }
    }
  }

  /** The lines the child finished writing; one cut by the kill promises nothing. */
  private static List<String> completeLines(Path stdout) throws IOException {
    String text = Files.readString(stdout, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
  }

  private static void awaitReady(Path stdout, Process child, Path stderr) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!completeLines(stdout).isEmpty()) {
        return;
      }
      if (!child.isAlive()) {
        fail("child exited early with " + child.exitValue() + ": " + Files.readString(stderr));
      }
      Thread.sleep(5);
    }
    fail("child not ready within 60 s: " + Files.readString(stderr));
  }
}
