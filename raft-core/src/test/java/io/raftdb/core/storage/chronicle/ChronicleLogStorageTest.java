package io.raftdb.core.storage.chronicle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.message.LogEntry;
import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is particular to the Chronicle log: segments and their files, the recovery traps named in
 * ../shared/chronicle-notes.md section 7, and analytics staying off.
 */
class ChronicleLogStorageTest {
  @TempDir
  Path dir;

  private Path log() {
    return dir.resolve("log");
  }

  private ChronicleLogStorage open() {
    return ChronicleLogStorage.builder(log()).blockSize(1 << 20).segmentMaxEntries(10).open();
  }

  private static List<LogEntry> entries(long from, long toInclusive, long term) {
    List<LogEntry> list = new ArrayList<>();
    for (long i = from; i <= toInclusive; i++) {
      list.add(LogEntry.command(i, term, new byte[] {(byte) i}));
    }
    return list;
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(log())) {
      return files.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
    }
  }

  @Test
  void aNewSegmentStartsWhenTheCurrentOneIsFull() throws Exception {
    try (ChronicleLogStorage log = open()) {
      log.append(entries(1, 35, 1));
      assertEquals(4, log.segmentCount());
      assertEquals(4, segmentFiles().size());
      assertEquals(entries(1, 35, 1), log.entries(1, 36, Long.MAX_VALUE));
    }
  }

  @Test
  void compactionDeletesWholeOldSegmentFilesAndNoReaderPinsThem() throws Exception {
    try (ChronicleLogStorage log = open()) {
      log.append(entries(1, 45, 1));
      assertEquals(entries(3, 4, 1), log.entries(3, 5, Long.MAX_VALUE)); // a reader on cycle 1
      log.compactPrefix(25);
      assertEquals(21, log.firstIndex(), "the segment holding 26 starts at 21");
      assertEquals(1, log.term(20));
      assertEquals(3, segmentFiles().size());
      // Chronicle unmaps released files on a background thread: allow it a generous while.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!pinnedDeletedFiles().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(pinnedDeletedFiles().isEmpty(), "deleted but still held: "
          + pinnedDeletedFiles());
      assertEquals(entries(21, 45, 1), log.entries(21, 46, Long.MAX_VALUE));
    }
  }

  /** Deleted log files this process still holds open or mapped (Linux /proc), whose space the
   * file system cannot reclaim. */
  private List<String> pinnedDeletedFiles() throws IOException {
    List<String> pinned = new ArrayList<>();
    Path fds = Path.of("/proc/self/fd");
    if (Files.isDirectory(fds)) {
      try (Stream<Path> links = Files.list(fds)) {
        for (Path link : links.toList()) {
          try {
            String target = Files.readSymbolicLink(link).toString();
            if (target.startsWith(log().toString()) && target.endsWith("(deleted)")) {
              pinned.add("fd " + target);
            }
          } catch (IOException e) {
            // closed while listing
          }
        }
      }
    }
    Path maps = Path.of("/proc/self/maps");
    if (Files.exists(maps)) {
      for (String line : Files.readAllLines(maps)) {
        if (line.contains(log().toString()) && line.endsWith("(deleted)")) {
          pinned.add("map " + line.substring(line.indexOf('/')));
        }
      }
    }
    return pinned;
  }

  @Test
  void theFirstWriteAfterReopenStartsANewSegment() throws Exception {
    try (ChronicleLogStorage log = open()) {
      log.append(entries(1, 3, 1));
      log.sync();
    }
    try (ChronicleLogStorage log = open()) {
      assertEquals(1, log.segmentCount());
      log.append(entries(4, 4, 2));
      assertEquals(2, log.segmentCount(), "never append to a cycle an earlier process wrote");
    }
    try (ChronicleLogStorage log = open()) {
      assertEquals(4, log.lastIndex());
      assertEquals(2, log.term(4));
    }
  }

  @Test
  void aSecondStoreOnTheSameDirectoryIsRefused() {
    try (ChronicleLogStorage log = open()) {
      StorageException e = assertThrows(StorageException.class, this::open);
      assertTrue(e.getMessage().contains("already open"), e.getMessage());
    }
    open().close(); // released on close
  }

  @Test
  void anEntryLargerThanAQuarterOfTheBlockIsRejectedAndNothingIsWritten() {
    try (ChronicleLogStorage log = open()) {
      List<LogEntry> batch = List.of(LogEntry.command(1, 1, new byte[10]),
          LogEntry.command(2, 1, new byte[300 * 1024]));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> log.append(batch));
      assertTrue(e.getMessage().contains("blockSize"), e.getMessage());
      assertEquals(0, log.lastIndex());
      log.append(List.of(LogEntry.command(1, 1, new byte[200 * 1024])));
      assertEquals(200 * 1024, log.entries(1, 2, 0).get(0).payload().length);
    }
  }

  @Test
  void aStaleChronicleLockFromADeadProcessWithOurPidDoesNotStallWrites() throws Exception {
    try (ChronicleLogStorage log = open()) {
      log.append(entries(1, 2, 1));
      log.sync();
    }
    // A container restart often gives the new JVM the PID of the one that died holding the lock;
    // Chronicle then waits 15 s for "itself" and fails. The store must clear it at open.
    try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(log())
        .rollCycle(RollCycles.FAST_HOURLY).blockSize(1 << 20).build()) {
      queue.metaStore().acquireValueFor("chronicle.write.lock")
          .setVolatileValue(ProcessHandle.current().pid());
    }
    try (ChronicleLogStorage log = open()) {
      log.append(entries(3, 3, 1));
      log.sync();
      assertEquals(3, log.lastIndex());
    }
  }

  @Test
  void aHalfCreatedNewestSegmentFileIsRemovedAtOpen() throws Exception {
    try (ChronicleLogStorage log = open()) {
      log.append(entries(1, 12, 1));
      log.sync();
    }
    List<Path> files = segmentFiles();
    Path last = files.get(files.size() - 1);
    // What a kill during Chronicle's file creation leaves: a sized file whose header never
    // completed (all zeros). Chronicle would block 10 s on it.
    Path halfCreated = last.resolveSibling(nextName(last));
    Files.write(halfCreated, new byte[64 * 1024]);
    try (ChronicleLogStorage log = open()) {
      assertFalse(Files.exists(halfCreated));
      assertEquals(12, log.lastIndex());
      log.append(entries(13, 13, 1));
      log.sync();
    }
    try (ChronicleLogStorage log = open()) {
      assertEquals(entries(1, 13, 1), log.entries(1, 14, Long.MAX_VALUE));
    }
  }

  /** The file name of the cycle after the one in {@code file} (yyyyMMdd-HH'F'.cq4). */
  private static String nextName(Path file) {
    String name = file.getFileName().toString();
    int hour = Integer.parseInt(name.substring(9, 11));
    return name.substring(0, 9) + String.format("%02d", hour + 1) + name.substring(11);
  }

  @Test
  void termLookupsComeFromMemoryAfterRecoveryInBothModes() throws Exception {
    try (ChronicleLogStorage log = open()) {
      log.append(entries(1, 15, 1));
      log.append(entries(16, 16, 4));
      log.append(entries(17, 33, 9));
      log.sync();
    }
    for (boolean verifyAll : new boolean[] {true, false}) {
      try (ChronicleLogStorage log = ChronicleLogStorage.builder(log()).blockSize(1 << 20)
          .verifyAllRecordsOnOpen(verifyAll).open()) {
        assertEquals(1, log.term(15));
        assertEquals(4, log.term(16));
        assertEquals(9, log.term(17));
        assertEquals(9, log.term(33));
        assertEquals(0, log.term(0));
      }
    }
  }

  @Test
  void readingAcrossManySegmentsDoesNotPileUpChronicleThreadLocals() throws Exception {
    try (ChronicleLogStorage log = open()) {
      log.append(entries(1, 200, 1)); // 20 segments
      int before = trackedThreadLocals();
      for (int round = 0; round < 50; round++) {
        for (long i = 1; i <= 200; i += 10) {
          log.entries(i, i + 1, 0); // each read switches the reader to another cycle
        }
      }
      int after = trackedThreadLocals();
      assertTrue(after - before < 100, "1,000 segment switches left " + (after - before)
          + " more thread-locals in Chronicle's global set (it walks the set on every switch,"
          + " so each costs more than the last)");
    }
  }

  /** The size of Chronicle's global set of orphan-tracked thread-locals. */
  private static int trackedThreadLocals() throws Exception {
    java.lang.reflect.Field field = Class.forName(
        "net.openhft.chronicle.core.threads.CleaningThreadLocal")
        .getDeclaredField("cleaningThreadLocals");
    field.setAccessible(true);
    return ((java.util.Set<?>) field.get(null)).size();
  }

  @Test
  void analyticsIsOffAndItsCodeIsNotOnTheClassPath() {
    ChronicleEnvironment.prepare();
    assertEquals("true", System.getProperty("chronicle.analytics.disable"));
    assertEquals("true", System.getProperty("chronicle.announcer.disable"));
    assertThrows(ClassNotFoundException.class,
        () -> Class.forName("net.openhft.chronicle.analytics.Analytics"));
  }
}
