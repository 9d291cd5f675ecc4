package io.raftdb.core.storage.chronicle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.message.LogEntry;
import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A full disk (issue 3, item 3), on a real 4 MiB tmpfs mounted for the test (needs root; the
 * test is skipped where {@code mount} is not allowed). Whether the store refuses the write in
 * time (the free-space reserve) or runs out of blocks while claiming them for the next records
 * (without the reserve), the write fails with a StorageException, nothing acknowledged is lost,
 * and the log works again once space is freed. Without the claiming, Chronicle's memory-mapped
 * write would hit SIGBUS, which HotSpot reports as an InternalError only later, after the
 * damaged record could already have been synced and acknowledged: this test caught exactly that.
 */
class ChronicleDiskFullTest {
  private static final int ENTRY_BYTES = 2048;

  private Path mountPoint;

  @BeforeEach
  void mountTinyFileSystem() throws Exception {
    mountPoint = Files.createTempDirectory("raftdb-diskfull");
    int exit = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mountPoint.toString());
    if (exit != 0) {
      Files.delete(mountPoint);
      Assumptions.abort("cannot mount a tmpfs here (needs root): disk-full test skipped");
    }
  }

  @AfterEach
  void unmount() throws Exception {
    if (run("umount", mountPoint.toString()) != 0) {
      run("umount", "-l", mountPoint.toString());
    }
    try (Stream<Path> leftovers = Files.walk(mountPoint)) {
      leftovers.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static int run(String... command) throws Exception {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (IOException e) {
      return -1; // no mount command
    }
  }

  private ChronicleLogStorage open(long reserveBytes, boolean fallocate) {
    ChronicleLogStorageBuilder builder = ChronicleLogStorage.builder(mountPoint.resolve("log"))
        .blockSize(1 << 20).segmentMaxEntries(200).reserveBytes(reserveBytes);
    return (fallocate ? builder : builder.withoutFallocate()).open();
  }

  private static LogEntry entry(long index) {
    byte[] payload = new byte[ENTRY_BYTES];
    payload[0] = (byte) index;
    payload[ENTRY_BYTES - 1] = (byte) (index >> 8);
    return LogEntry.command(index, 1, payload);
  }

  /** Appends and syncs one entry at a time until the store refuses; returns the last synced. */
  private static long fillUntilRefused(ChronicleLogStorage log, List<StorageException> failure) {
    for (long i = log.lastIndex() + 1; i < 100_000; i++) {
      try {
        log.append(List.of(entry(i)));
        log.sync();
      } catch (StorageException e) {
        failure.add(e);
        return i - 1;
      }
    }
    return fail("a 4 MiB file system never filled up");
  }

  private void checkAcknowledgedSurvive(long acked) {
    try (ChronicleLogStorage log = open(0, true)) {
      assertTrue(log.lastIndex() >= acked, "lost acknowledged entries: " + log.lastIndex()
          + " < " + acked);
      List<LogEntry> all = log.entries(1, acked + 1, Long.MAX_VALUE);
      for (long i = 1; i <= acked; i++) {
        assertEquals(entry(i), all.get((int) (i - 1)));
      }
    }
  }

  private Path filler() throws IOException {
    Path filler = mountPoint.resolve("filler");
    Files.write(filler, new byte[1 << 20]);
    return filler;
  }

  /** Blocks are claimed with fallocate, or (where a file system has none) by rewriting pages. */
  @ParameterizedTest(name = "fallocate {0}")
  @ValueSource(booleans = {true, false})
  void theReserveRefusesAWriteBeforeTheDiskIsFull(boolean fallocate) throws Exception {
    Path filler = filler();
    long acked;
    try (ChronicleLogStorage log = open(512 * 1024, fallocate)) {
      List<StorageException> failure = new ArrayList<>();
      acked = fillUntilRefused(log, failure);
      assertTrue(failure.get(0).getMessage().contains("disk full"), failure.get(0).getMessage());
      assertTrue(acked > 100, "wrote only " + acked);
      assertEquals(acked, log.lastIndex(), "the refused entry was not written");
    }
    checkAcknowledgedSurvive(acked);
    Files.delete(filler);
    try (ChronicleLogStorage log = open(512 * 1024, fallocate)) {
      log.append(List.of(entry(acked + 1)));
      log.sync();
    }
  }

  @ParameterizedTest(name = "fallocate {0}")
  @ValueSource(booleans = {true, false})
  void aWriteThatHitsTheFullDiskFailsTheStoreButLosesNothing(boolean fallocate)
      throws Exception {
    Path filler = filler();
    long acked;
    try (ChronicleLogStorage log = open(0, fallocate)) {
      List<StorageException> failure = new ArrayList<>();
      acked = fillUntilRefused(log, failure);
      assertTrue(acked > 100, "wrote only " + acked);
      assertTrue(failure.get(0).getMessage().contains("appending"), failure.get(0).getMessage());
      StorageException refused = assertThrows(StorageException.class,
          () -> log.append(List.of(entry(log.lastIndex() + 1))));
      assertTrue(refused.getMessage().contains("refuses writes"), refused.getMessage());
      assertThrows(StorageException.class, log::sync, "nothing unsynced is ever acknowledged");
    }
    Files.delete(filler);
    checkAcknowledgedSurvive(acked);
    try (ChronicleLogStorage log = open(0, fallocate)) {
      long next = log.lastIndex() + 1;
      log.append(List.of(entry(next)));
      log.sync();
      assertEquals(next, log.lastIndex());
    }
  }
}
