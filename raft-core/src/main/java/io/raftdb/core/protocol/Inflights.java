package io.raftdb.core.protocol;

/**
 * The AppendEntries messages with entries sent to one follower and not yet acknowledged, kept as
 * the last index each one carried: a bounded ring, so that a leader never floods a slow follower
 * (pipelining with back-pressure).
 */
final class Inflights {
  private final long[] lastIndexes;
  private int start;
  private int count;

  Inflights(int capacity) {
    this.lastIndexes = new long[capacity];
  }

  boolean isFull() {
    return count == lastIndexes.length;
  }

  boolean isEmpty() {
    return count == 0;
  }

  void add(long lastIndex) {
    if (isFull()) {
      throw new IllegalStateException("inflight window full");
    }
    lastIndexes[(start + count) % lastIndexes.length] = lastIndex;
    count++;
  }

  /** Forgets every message whose entries are all acknowledged by {@code matchIndex}. */
  void freeUpTo(long matchIndex) {
    while (count > 0 && lastIndexes[start] <= matchIndex) {
      start = (start + 1) % lastIndexes.length;
      count--;
    }
  }

  void clear() {
    start = 0;
    count = 0;
  }
}
