package io.raftdb.core.storage;

import io.raftdb.message.LogEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The obviously correct reference log the conformance suite compares a store against: a list
 * of entries after a base index. Compaction only records how far the store may drop entries,
 * because stores drop whole segments; {@link #adoptFirstIndex} then follows the store's choice.
 */
final class LogModel {
  private long firstIndex = 1;
  private long prevTerm;
  private final List<LogEntry> entries = new ArrayList<>();
  /** The store may have dropped entries up to here (never after). */
  private long droppableThrough;

  long firstIndex() {
    return firstIndex;
  }

  long lastIndex() {
    return firstIndex + entries.size() - 1;
  }

  long term(long index) {
    return index == firstIndex - 1 ? prevTerm : get(index).term();
  }

  LogEntry get(long index) {
    return entries.get((int) (index - firstIndex));
  }

  /** The highest first index the store may legally report. */
  long highestAllowedFirstIndex() {
    return Math.max(firstIndex, Math.min(droppableThrough, lastIndex()) + 1);
  }

  void append(List<LogEntry> batch) {
    entries.addAll(batch);
  }

  void truncateSuffix(long fromIndex) {
    entries.subList((int) (fromIndex - firstIndex), entries.size()).clear();
  }

  void compactPrefix(long upToIndex) {
    droppableThrough = Math.max(droppableThrough, upToIndex);
  }

  void reset(long snapshotIndex, long snapshotTerm) {
    entries.clear();
    firstIndex = snapshotIndex + 1;
    prevTerm = snapshotTerm;
    droppableThrough = snapshotIndex;
  }

  /** Drops the entries the store chose to drop, so that both start at {@code storeFirstIndex}. */
  void adoptFirstIndex(long storeFirstIndex) {
    if (storeFirstIndex > firstIndex) {
      long newPrevTerm = term(storeFirstIndex - 1);
      entries.subList(0, (int) (storeFirstIndex - firstIndex)).clear();
      firstIndex = storeFirstIndex;
      prevTerm = newPrevTerm;
    }
  }

  LogModel copy() {
    LogModel copy = new LogModel();
    copy.firstIndex = firstIndex;
    copy.prevTerm = prevTerm;
    copy.entries.addAll(entries);
    copy.droppableThrough = droppableThrough;
    return copy;
  }

  @Override
  public String toString() {
    return "model " + firstIndex + ".." + lastIndex() + " prevTerm " + prevTerm
        + " droppableThrough " + droppableThrough;
  }
}
