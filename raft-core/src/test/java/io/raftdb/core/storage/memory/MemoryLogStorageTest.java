package io.raftdb.core.storage.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftdb.message.LogEntry;
import io.raftdb.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a crash keeps of a {@link MemoryLogStorage}: the state at the last sync, nothing else. */
class MemoryLogStorageTest {

  private static List<LogEntry> entries(long from, long toInclusive, long term) {
    List<LogEntry> list = new ArrayList<>();
    for (long i = from; i <= toInclusive; i++) {
      list.add(LogEntry.command(i, term, new byte[] {(byte) i, (byte) term}));
    }
    return list;
  }

  private static List<LogEntry> all(MemoryLogStorage store) {
    return store.entries(store.firstIndex(), store.lastIndex() + 1, Long.MAX_VALUE);
  }

  @Test
  void unsyncedAppendsAreLostInTheDurableCopy() {
    MemoryLogStorage store = new MemoryLogStorage();
    store.append(entries(1, 5, 1));
    store.sync();
    store.append(entries(6, 8, 1));
    MemoryLogStorage afterCrash = store.durableCopy();
    assertEquals(5, afterCrash.lastIndex());
    assertEquals(entries(1, 5, 1), all(afterCrash));
    assertEquals(8, store.lastIndex(), "the running store still sees its unsynced writes");
  }

  @Test
  void anUnsyncedTruncationLeavesTheOldEntriesDurable() {
    MemoryLogStorage store = new MemoryLogStorage();
    store.append(entries(1, 6, 1));
    store.sync();
    store.truncateSuffix(3);
    store.append(entries(3, 4, 2));
    assertEquals(entries(1, 6, 1), all(store.durableCopy()));
    store.sync();
    List<LogEntry> expected = new ArrayList<>(entries(1, 2, 1));
    expected.addAll(entries(3, 4, 2));
    assertEquals(expected, all(store.durableCopy()));
  }

  @Test
  void compactionAndResetBecomeDurableOnlyAtSync() {
    MemoryLogStorage store = new MemoryLogStorage();
    store.append(entries(1, 10, 1));
    store.sync();
    store.compactPrefix(4);
    assertEquals(1, store.durableCopy().firstIndex());
    store.sync();
    MemoryLogStorage compacted = store.durableCopy();
    assertEquals(5, compacted.firstIndex());
    assertEquals(1, compacted.term(4));

    store.reset(50, 3);
    store.append(entries(51, 52, 3));
    assertEquals(10, store.durableCopy().lastIndex());
    store.sync();
    MemoryLogStorage reset = store.durableCopy();
    assertEquals(51, reset.firstIndex());
    assertEquals(3, reset.term(50));
    assertEquals(entries(51, 52, 3), all(reset));
  }

  @Test
  void compactingPastTheDurableEndBeforeASyncKeepsOnlyTheNewTail() {
    MemoryLogStorage store = new MemoryLogStorage();
    store.append(entries(1, 5, 1));
    store.sync();
    store.truncateSuffix(4);
    store.append(entries(4, 12, 2));
    store.compactPrefix(8);
    store.sync();
    MemoryLogStorage copy = store.durableCopy();
    assertEquals(9, copy.firstIndex());
    assertEquals(2, copy.term(8));
    assertEquals(entries(9, 12, 2), all(copy));
  }

  @Test
  void theDurableCopyIsIndependentAndWorksAfterClose() {
    MemoryLogStorage store = new MemoryLogStorage();
    store.append(entries(1, 3, 1));
    store.sync();
    store.close();
    assertThrows(IllegalStateException.class, store::lastIndex);
    MemoryLogStorage copy = store.durableCopy();
    copy.append(entries(4, 4, 1));
    copy.sync();
    assertEquals(3, store.durableCopy().lastIndex());
    assertEquals(4, copy.durableCopy().lastIndex());
  }

  @Test
  void durableCopyFromAnotherThreadSeesOnlyWholeSyncedBatches() throws Exception {
    MemoryLogStorage store = new MemoryLogStorage();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Future<?> observer = other.submit(() -> {
        for (int i = 0; i < 2_000; i++) {
          MemoryLogStorage copy = store.durableCopy();
          long last = copy.lastIndex();
          if (last % 10 != 0) {
            throw new AssertionError("a torn batch became durable: last index " + last);
          }
          if (last > 0) {
            assertEquals(entries(last, last, 1), copy.entries(last, last + 1, Long.MAX_VALUE));
          }
        }
      });
      for (long batch = 0; batch < 2_000; batch++) {
        store.append(entries(batch * 10 + 1, batch * 10 + 10, 1));
        store.sync();
      }
      observer.get(30, TimeUnit.SECONDS);
    } finally {
      other.shutdownNow();
      assertEquals(true, other.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void anInjectedFailureRejectsWritesAndSyncsUntilHealed() {
    MemoryLogStorage store = new MemoryLogStorage();
    store.append(entries(1, 2, 1));
    StorageException diskFull = new StorageException("disk full");
    store.injectFailure(diskFull);
    assertSame(diskFull, assertThrows(StorageException.class, store::sync));
    assertThrows(StorageException.class, () -> store.append(entries(3, 3, 1)));
    assertEquals(0, store.durableCopy().lastIndex());
    assertEquals(2, store.lastIndex(), "reads still work");
    store.injectFailure(null);
    store.sync();
    assertEquals(2, store.durableCopy().lastIndex());
  }
}
