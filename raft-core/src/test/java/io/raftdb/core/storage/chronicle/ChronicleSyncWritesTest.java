package io.raftdb.core.storage.chronicle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.message.LogEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group commit makes the page cache write back only the few pages its records dirtied. On
 * Linux 6.16+ ext4 (and XFS) the page cache holds a file in folios that readahead grows up to
 * 2 MiB, and a memory-mapped write dirties its whole folio. Once a segment had grown past a few
 * megabytes, each sync of 64 records wrote about 300 KiB here (and about 2 MiB per sync in a
 * three-node benchmark: 3.5 GB to log 9 MB), until the mappings were kept in small pages
 * ({@link SmallPages}) and blocks were claimed without the page cache ({@link BlockReservation});
 * either alone still wrote 190–315 KiB per sync. The kernel counts the bytes a process dirties in
 * {@code /proc/self/io}; where that file is missing the test is skipped, and where the temporary
 * directory is in memory (tmpfs) nothing is counted and it passes.
 */
class ChronicleSyncWritesTest {
  private static final int SYNCS = 4000;
  private static final int ENTRIES_PER_SYNC = 64;
  /** Generous: a sync's records plus Chronicle's index and header pages. */
  private static final long MOST_BYTES_PER_SYNC = 64 * 1024;

  @TempDir
  Path dir;

  @Test
  void aSyncWritesThePagesItsRecordsDirtiedNotWholeFolios() throws IOException {
    Path io = Path.of("/proc/self/io");
    Assumptions.assumeTrue(Files.isReadable(io), "no /proc/self/io here");
    try (ChronicleLogStorage log = ChronicleLogStorage.builder(dir.resolve("log")).open()) {
      long index = 1;
      for (int i = 0; i < 20; i++) { // the segment's creation and first claims
        log.append(List.of(LogEntry.command(index++, 1, new byte[128])));
        log.sync();
      }
      long before = writtenBytes(io);
      for (int sync = 0; sync < SYNCS; sync++) {
        List<LogEntry> batch = new ArrayList<>();
        for (int i = 0; i < ENTRIES_PER_SYNC; i++) {
          batch.add(LogEntry.command(index++, 1, new byte[128]));
        }
        log.append(batch);
        log.sync();
        log.entries(index - ENTRIES_PER_SYNC, index, Long.MAX_VALUE); // as replication reads
      }
      long written = writtenBytes(io) - before;
      assertTrue(written <= SYNCS * MOST_BYTES_PER_SYNC, written / SYNCS
          + " bytes written per sync of " + ENTRIES_PER_SYNC + " records of 128 bytes");
    }
  }

  private static long writtenBytes(Path io) throws IOException {
    for (String line : Files.readAllLines(io)) {
      if (line.startsWith("write_bytes:")) {
        return Long.parseLong(line.substring("write_bytes:".length()).trim());
      }
    }
    throw new IllegalStateException("no write_bytes in " + io);
  }
}
