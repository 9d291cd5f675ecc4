package io.raftdb.sim.dst;

import io.raftdb.message.LogEntry;

/**
 * The checkers' copy of one node's written log: for each index the entry's term, its hash and a
 * hash of the whole log up to it. Updated with every truncation and append the node makes, and
 * rebuilt from the durable log when the node restarts.
 */
final class LogMirror {
  private final LongColumn terms = new LongColumn();
  private final LongColumn entryHashes = new LongColumn();
  private final LongColumn prefixHashes = new LongColumn();
  private long lastIndex;

  long lastIndex() {
    return lastIndex;
  }

  /** The term at {@code index}, or 0 if the log does not reach it. */
  long term(long index) {
    return index >= 1 && index <= lastIndex ? terms.get(index) : 0;
  }

  /** The hash of the entry at {@code index}, or 0 if the log does not reach it. */
  long entryHash(long index) {
    return index >= 1 && index <= lastIndex ? entryHashes.get(index) : 0;
  }

  /** Forgets {@code fromIndex..lastIndex}. */
  void truncateFrom(long fromIndex) {
    lastIndex = Math.min(lastIndex, fromIndex - 1);
  }

  /** Appends one entry (at {@code lastIndex + 1}); returns the hash of the log up to it. */
  long append(LogEntry e) {
    if (e.index() != lastIndex + 1) {
      throw new IllegalStateException("mirror append at " + e.index() + " after " + lastIndex);
    }
    long entryHash = Hashes.entry(e);
    long prefix = Hashes.combine(lastIndex == 0 ? 0 : prefixHashes.get(lastIndex), entryHash);
    terms.set(e.index(), e.term());
    entryHashes.set(e.index(), entryHash);
    prefixHashes.set(e.index(), prefix);
    lastIndex = e.index();
    return prefix;
  }

  /** Empties the mirror (the caller then appends what the durable log holds). */
  void clear() {
    lastIndex = 0;
  }
}
