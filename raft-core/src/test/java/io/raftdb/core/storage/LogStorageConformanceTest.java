package io.raftdb.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.message.LogEntry;
import io.raftdb.storage.LogStorage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The behaviour every {@link LogStorage} must show, run against each implementation by a
 * subclass: the contract's edge cases one by one, then a randomised model test that mixes
 * appends, truncations, compactions, resets, syncs and restarts and compares the store with
 * {@link LogModel} after every step.
 *
 * <p>System properties for long runs: {@code raftdb.storage.seeds} (number of seeds),
 * {@code raftdb.storage.firstSeed} (to replay a failure), {@code raftdb.storage.ops} (operations
 * per seed).
 */
public abstract class LogStorageConformanceTest {
  private final List<LogStorage> opened = new ArrayList<>();

  /** A new, empty store. {@code random} may pick configuration such as the segment size. */
  protected abstract LogStorage openEmpty(Random random) throws Exception;

  /** Closes {@code store} without syncing and opens what a restarted node would find. */
  protected abstract LogStorage reopen(LogStorage store) throws Exception;

  /**
   * Whether a restart keeps writes made after the last sync: true for a disk store restarted
   * in-process (the page cache still holds them), false for the in-memory store, which keeps only
   * what was synced. The model test expects exactly one of the two.
   */
  protected abstract boolean reopenKeepsUnsyncedWrites();

  /** Seeds run per build unless {@code raftdb.storage.seeds} says otherwise. */
  protected abstract int defaultSeeds();

  /** Operations per seed unless {@code raftdb.storage.ops} says otherwise. */
  protected abstract int defaultOpsPerSeed();

  private LogStorage empty() throws Exception {
    return track(openEmpty(new Random(42)));
  }

  private LogStorage track(LogStorage store) {
    opened.add(store);
    return store;
  }

  private LogStorage restart(LogStorage store) throws Exception {
    return track(reopen(store));
  }

  @AfterEach
  void closeStores() {
    for (LogStorage store : opened) {
      store.close(); // closing twice must be harmless
    }
    opened.clear();
  }

  protected static LogEntry entry(long index, long term) {
    byte[] payload = new byte[(int) (index % 50)];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (index * 31 + term * 7 + i);
    }
    return LogEntry.command(index, term, payload);
  }

  protected static List<LogEntry> entries(long from, long toInclusive, long term) {
    List<LogEntry> list = new ArrayList<>();
    for (long i = from; i <= toInclusive; i++) {
      list.add(entry(i, term));
    }
    return list;
  }

  private static List<LogEntry> all(LogStorage store) {
    return store.entries(store.firstIndex(), store.lastIndex() + 1, Long.MAX_VALUE);
  }

  // ---------------------------------------------------------------- the contract, case by case

  @Test
  void emptyLogStartsAtIndexOneWithTermZeroBeforeIt() throws Exception {
    LogStorage store = empty();
    assertEquals(1, store.firstIndex());
    assertEquals(0, store.lastIndex());
    assertEquals(0, store.term(0));
    assertEquals(List.of(), store.entries(1, 1, 100));
  }

  @Test
  void appendedEntriesAreReadBackInOrderWithTheirTerms() throws Exception {
    LogStorage store = empty();
    store.append(entries(1, 5, 1));
    store.append(entries(6, 9, 3));
    assertEquals(9, store.lastIndex());
    assertEquals(1, store.term(5));
    assertEquals(3, store.term(6));
    List<LogEntry> expected = new ArrayList<>(entries(1, 5, 1));
    expected.addAll(entries(6, 9, 3));
    assertEquals(expected, all(store));
    assertEquals(expected.subList(3, 7), store.entries(4, 8, Long.MAX_VALUE));
  }

  @Test
  void appendWithAGapOrADecreasingTermIsRejectedAndChangesNothing() throws Exception {
    LogStorage store = empty();
    store.append(entries(1, 3, 2));
    assertThrows(IllegalArgumentException.class, () -> store.append(entries(5, 6, 2)));
    assertThrows(IllegalArgumentException.class, () -> store.append(entries(3, 4, 2)));
    assertThrows(IllegalArgumentException.class, () -> store.append(entries(4, 5, 1)));
    List<LogEntry> brokenBatch = List.of(entry(4, 2), entry(6, 2));
    assertThrows(IllegalArgumentException.class, () -> store.append(brokenBatch));
    assertEquals(3, store.lastIndex());
    store.append(entries(4, 4, 2));
    assertEquals(entries(1, 4, 2), all(store));
  }

  @Test
  void rangeReadStopsAtMaxBytesButReturnsAtLeastOneEntry() throws Exception {
    LogStorage store = empty();
    List<LogEntry> written = new ArrayList<>();
    for (long i = 1; i <= 10; i++) {
      written.add(LogEntry.command(i, 1, new byte[100])); // sizeEstimate 124 each
    }
    store.append(written);
    assertEquals(written.subList(0, 3), store.entries(1, 11, 3 * 124));
    assertEquals(written.subList(0, 3), store.entries(1, 11, 4 * 124 - 1));
    assertEquals(written.subList(4, 5), store.entries(5, 11, 1));
    assertEquals(written.subList(4, 10), store.entries(5, 11, Long.MAX_VALUE));
  }

  @Test
  void readsOutsideTheLogAreRejected() throws Exception {
    LogStorage store = empty();
    store.append(entries(1, 5, 1));
    store.compactPrefix(2);
    long first = store.firstIndex();
    assertThrows(IndexOutOfBoundsException.class, () -> store.term(6));
    assertThrows(IndexOutOfBoundsException.class, () -> store.term(first - 2));
    assertThrows(IndexOutOfBoundsException.class, () -> store.entries(5, 7, 100));
    assertThrows(IndexOutOfBoundsException.class, () -> store.entries(first - 1, 3, 100));
    assertThrows(IndexOutOfBoundsException.class, () -> store.entries(4, 3, 100));
  }

  @Test
  void truncateSuffixRemovesTheConflictAndAcceptsANewerTerm() throws Exception {
    LogStorage store = empty();
    store.append(entries(1, 10, 1));
    store.truncateSuffix(6);
    assertEquals(5, store.lastIndex());
    assertEquals(1, store.term(5));
    assertThrows(IndexOutOfBoundsException.class, () -> store.term(6));
    store.append(entries(6, 8, 2));
    List<LogEntry> expected = new ArrayList<>(entries(1, 5, 1));
    expected.addAll(entries(6, 8, 2));
    assertEquals(expected, all(store));
    store.truncateSuffix(9); // nothing after the end: harmless
    assertEquals(8, store.lastIndex());
  }

  @Test
  void truncateOutsideTheLogIsRejected() throws Exception {
    LogStorage store = empty();
    store.append(entries(1, 10, 1));
    store.compactPrefix(5);
    long first = store.firstIndex();
    assertThrows(IllegalArgumentException.class, () -> store.truncateSuffix(first - 1));
    assertThrows(IllegalArgumentException.class, () -> store.truncateSuffix(12));
    assertEquals(10, store.lastIndex());
  }

  @Test
  void compactPrefixKeepsLaterEntriesAndTheTermBeforeTheFirst() throws Exception {
    LogStorage store = empty();
    store.append(entries(1, 5, 1));
    store.append(entries(6, 10, 2));
    store.compactPrefix(7);
    long first = store.firstIndex();
    assertTrue(first >= 1 && first <= 8, "first index " + first);
    assertEquals(10, store.lastIndex());
    assertEquals(first - 1 <= 5 ? (first == 1 ? 0 : 1) : 2, store.term(first - 1));
    assertEquals(entries(8, 10, 2), store.entries(8, 11, Long.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> store.compactPrefix(11));
  }

  @Test
  void compactingTheWholeLogLeavesItEmptyButWritable() throws Exception {
    LogStorage store = empty();
    store.append(entries(1, 4, 3));
    store.compactPrefix(4);
    assertEquals(4, store.lastIndex());
    assertEquals(3, store.term(4));
    store.append(entries(5, 6, 4));
    assertEquals(entries(5, 6, 4), store.entries(5, 7, Long.MAX_VALUE));
  }

  @Test
  void resetStartsAnEmptyLogAfterTheSnapshot() throws Exception {
    LogStorage store = empty();
    store.append(entries(1, 5, 1));
    store.reset(20, 4);
    assertEquals(21, store.firstIndex());
    assertEquals(20, store.lastIndex());
    assertEquals(4, store.term(20));
    assertThrows(IndexOutOfBoundsException.class, () -> store.term(5));
    assertThrows(IllegalArgumentException.class, () -> store.append(entries(21, 21, 3)));
    store.append(entries(21, 23, 5));
    assertEquals(entries(21, 23, 5), all(store));
    assertThrows(IllegalArgumentException.class, () -> store.reset(5, 0));
  }

  @Test
  void resetOfANewLogStartsItAfterTheSnapshot() throws Exception {
    LogStorage store = empty();
    store.reset(7, 2);
    assertEquals(8, store.firstIndex());
    assertEquals(7, store.lastIndex());
    assertEquals(2, store.term(7));
    store.append(entries(8, 9, 2));
    store.sync();
    LogStorage reopened = restart(store);
    assertEquals(8, reopened.firstIndex());
    assertEquals(entries(8, 9, 2), all(reopened));
  }

  @Test
  void syncedWritesSurviveARestart() throws Exception {
    LogStorage store = empty();
    store.append(entries(1, 10, 1));
    store.truncateSuffix(8);
    store.append(entries(8, 12, 2));
    store.compactPrefix(3);
    store.sync();
    List<LogEntry> before = all(store);
    long first = store.firstIndex();
    long prevTerm = store.term(first - 1);
    LogStorage reopened = restart(store);
    assertEquals(first, reopened.firstIndex());
    assertEquals(12, reopened.lastIndex());
    assertEquals(prevTerm, reopened.term(first - 1));
    assertEquals(before, all(reopened));
    reopened.append(entries(13, 14, 2));
    assertEquals(14, reopened.lastIndex());
  }

  @Test
  void aSyncedResetSurvivesARestart() throws Exception {
    LogStorage store = empty();
    store.append(entries(1, 10, 1));
    store.reset(100, 7);
    store.sync();
    LogStorage reopened = restart(store);
    assertEquals(101, reopened.firstIndex());
    assertEquals(100, reopened.lastIndex());
    assertEquals(7, reopened.term(100));
    reopened.append(entries(101, 101, 7));
    assertEquals(entries(101, 101, 7), all(reopened));
  }

  // ---------------------------------------------------------------- randomised model test

  @TestFactory
  Stream<DynamicTest> randomisedOperationsMatchTheModel() {
    long firstSeed = Long.getLong("raftdb.storage.firstSeed", 1);
    int seeds = Integer.getInteger("raftdb.storage.seeds", defaultSeeds());
    int ops = Integer.getInteger("raftdb.storage.ops", defaultOpsPerSeed());
    return LongStream.range(firstSeed, firstSeed + seeds).mapToObj(seed ->
        DynamicTest.dynamicTest("seed " + seed, () -> runModel(seed, ops)));
  }

  private void runModel(long seed, int ops) throws Exception {
    Random random = new Random(seed);
    Deque<String> recent = new ArrayDeque<>();
    LogStorage store = track(openEmpty(random));
    LogModel model = new LogModel();
    LogModel durable = model.copy();
    long currentTerm = 1;
    for (int op = 0; op < ops; op++) {
      String action;
      int dice = random.nextInt(100);
      if (model.lastIndex() - model.firstIndex() > 3000) {
        dice = 60; // keep the log small: compact
      }
      if (dice < 50) {
        if (random.nextInt(10) == 0) {
          currentTerm++;
        }
        long term = Math.max(currentTerm, model.term(model.lastIndex()));
        List<LogEntry> batch = randomBatch(random, model.lastIndex() + 1, term);
        action = "append " + batch.size() + " from " + batch.get(0).index() + "@" + term;
        store.append(batch);
        model.append(batch);
      } else if (dice < 58) {
        long from = randomBetween(random, model.firstIndex(), model.lastIndex() + 1);
        action = "truncate from " + from;
        store.truncateSuffix(from);
        model.truncateSuffix(from);
        currentTerm++;
      } else if (dice < 66) {
        long upTo = randomBetween(random, model.firstIndex() - 1, model.lastIndex());
        action = "compact through " + upTo;
        store.compactPrefix(upTo);
        model.compactPrefix(upTo);
      } else if (dice < 68) {
        long index = randomBetween(random, Math.max(1, model.firstIndex() - 1),
            model.lastIndex() + 30);
        if (random.nextInt(4) == 0) {
          index = model.lastIndex() + 1 + random.nextInt(3); // a snapshot just past the log
        }
        currentTerm++;
        action = "reset to " + index + "@" + currentTerm;
        store.reset(index, currentTerm);
        model.reset(index, currentTerm);
      } else if (dice < 85) {
        action = "sync";
        store.sync();
        durable = model.copy();
      } else if (dice < 87) {
        action = "restart";
        store = restart(store);
        if (!reopenKeepsUnsyncedWrites()) {
          model = durable.copy();
        }
      } else {
        action = "check";
      }
      recent.addLast(op + ": " + action);
      if (recent.size() > 12) {
        recent.removeFirst();
      }
      try {
        compare(store, model, random, action.equals("restart") || op == ops - 1);
        if (action.equals("sync")) {
          durable = model.copy(); // the model now follows the store's compaction choice
        }
      } catch (AssertionError | RuntimeException e) {
        fail("seed " + seed + " diverged from the " + model + " after:\n  "
            + String.join("\n  ", recent), e);
      }
    }
  }

  private static List<LogEntry> randomBatch(Random random, long firstIndex, long term) {
    int size = 1 + random.nextInt(random.nextInt(8) == 0 ? 64 : 8);
    List<LogEntry> batch = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int length = random.nextInt(50) == 0 ? random.nextInt(4096) : random.nextInt(100);
      byte[] payload = new byte[length];
      random.nextBytes(payload);
      batch.add(random.nextInt(20) == 0 ? LogEntry.noOp(firstIndex + i, term)
          : LogEntry.command(firstIndex + i, term, payload));
    }
    return batch;
  }

  private static long randomBetween(Random random, long lowest, long highest) {
    return lowest + (long) (random.nextDouble() * (highest - lowest + 1));
  }

  private static void compare(LogStorage store, LogModel model, Random random, boolean full) {
    assertEquals(model.lastIndex(), store.lastIndex(), "last index");
    long first = store.firstIndex();
    assertTrue(first >= model.firstIndex() && first <= model.highestAllowedFirstIndex(),
        "first index " + first + " outside " + model.firstIndex() + ".."
            + model.highestAllowedFirstIndex());
    model.adoptFirstIndex(first);
    long last = model.lastIndex();
    assertEquals(model.term(first - 1), store.term(first - 1), "term before the first entry");
    assertEquals(model.term(last), store.term(last), "last term");
    if (last < first) {
      assertEquals(List.of(), store.entries(first, first, 1));
      return;
    }
    if (full) {
      List<LogEntry> stored = store.entries(first, last + 1, Long.MAX_VALUE);
      assertEquals(last - first + 1, stored.size(), "full range length");
      for (long i = first; i <= last; i++) {
        assertEquals(model.get(i), stored.get((int) (i - first)), "entry " + i);
        assertEquals(model.term(i), store.term(i), "term " + i);
      }
      return;
    }
    for (int sample = 0; sample < 3; sample++) {
      long i = randomBetween(random, first, last);
      assertEquals(model.term(i), store.term(i), "term " + i);
      assertEquals(List.of(model.get(i)), store.entries(i, i + 1, 0), "entry " + i);
    }
    long from = randomBetween(random, first, last);
    long to = Math.min(last + 1, from + random.nextInt(40));
    long maxBytes = random.nextInt(2000);
    List<LogEntry> range = store.entries(from, to, maxBytes);
    long bytes = 0;
    for (int k = 0; k < range.size(); k++) {
      LogEntry expected = model.get(from + k);
      assertEquals(expected, range.get(k), "range entry " + (from + k));
      bytes += expected.sizeEstimate();
    }
    boolean stoppedForSize = from + range.size() < to;
    if (to > from) {
      assertTrue(!range.isEmpty(), "a non-empty range returns at least one entry");
      assertTrue(range.size() == 1 || bytes <= maxBytes, "range passed maxBytes");
      if (stoppedForSize) {
        assertTrue(bytes + model.get(from + range.size()).sizeEstimate() > maxBytes,
            "range stopped early without reaching maxBytes");
      }
    }
  }
}
