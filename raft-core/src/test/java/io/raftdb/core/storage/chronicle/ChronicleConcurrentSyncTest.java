package io.raftdb.core.storage.chronicle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.message.LogEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log's sync runs on its own thread while the loop appends (pipelined persistence): syncs
 * racing appends that roll segment after segment (closing the file a sync may be forcing) and
 * compactions that delete old segments neither fail nor disturb what is written.
 */
class ChronicleConcurrentSyncTest {
  @TempDir
  Path dir;

  @Test
  void syncsOnAnotherThreadRaceAppendsRollsAndCompactionsWithoutFailing() throws Exception {
    int entries = 2_000;
    AtomicReference<Throwable> syncFailure = new AtomicReference<>();
    AtomicInteger syncs = new AtomicInteger();
    AtomicBoolean writing = new AtomicBoolean(true);
    try (ChronicleLogStorage log = ChronicleLogStorage.builder(dir.resolve("log"))
        .blockSize(1 << 20).segmentMaxEntries(4).open()) {
      assertTrue(log.syncsConcurrently());
      Thread syncer = new Thread(() -> {
        try {
          while (writing.get()) {
            log.sync();
            syncs.incrementAndGet();
          }
        } catch (Throwable t) {
          syncFailure.set(t);
        }
      }, "test-syncer");
      syncer.start();
      try {
        for (int i = 1; i <= entries; i++) {
          log.append(List.of(LogEntry.command(i, 1, new byte[] {(byte) i})));
          if (i % 100 == 0) {
            log.compactPrefix(i - 50);
          }
        }
      } finally {
        writing.set(false);
        syncer.join(30_000);
      }
      assertNull(syncFailure.get(), () -> "a sync failed: " + syncFailure.get());
      assertTrue(syncs.get() > 0);
      log.sync();
    }
    try (ChronicleLogStorage reopened = ChronicleLogStorage.builder(dir.resolve("log"))
        .blockSize(1 << 20).segmentMaxEntries(4).open()) {
      assertEquals(entries, reopened.lastIndex());
      LogEntry last = reopened.entries(entries, entries + 1, Long.MAX_VALUE).get(0);
      assertEquals(LogEntry.command(entries, 1, new byte[] {(byte) entries}), last);
    }
  }
}
