package io.raftdb.sim.dst;

import io.raftdb.message.LogEntry;

/**
 * The checkers' copy of one node's written log: for each index the entry's term, its hash and a
 * hash of the whole log up to it. Updated with every truncation and append the node makes, and
 * rebuilt from the durable log when the node restarts.
 *
 * <p>A log that restarts after a snapshot (installed, or found at a restart) holds nothing up to
 * the snapshot's index, its <em>base</em>: the snapshot covers those entries (the checkers make
 * sure it agrees with the committed log there), and the mirror carries on from the committed
 * log's hashes at the base. Compaction by the node's own snapshots changes nothing here: the
 * entries it drops are still what the node's state stands for.
 */
final class LogMirror {
  private final LongColumn terms = new LongColumn();
  private final LongColumn entryHashes = new LongColumn();
  private final LongColumn prefixHashes = new LongColumn();
  private long lastIndex;
  private long base;

  long lastIndex() {
    return lastIndex;
  }

  /** The snapshot index the log restarted after; entries up to it are covered by a snapshot. */
  long base() {
    return base;
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
    if (fromIndex <= base) {
      throw new IllegalStateException("truncation from " + fromIndex + " into the snapshot that"
          + " ends at " + base);
    }
    lastIndex = Math.min(lastIndex, fromIndex - 1);
  }

  /**
   * Empties the mirror; it continues after a snapshot ending with the entry at {@code index}
   * of {@code term}, whose hash is {@code entryHash} and the log's up to it {@code prefixHash}.
   */
  void restartAfter(long index, long term, long entryHash, long prefixHash) {
    base = index;
    lastIndex = index;
    if (index > 0) {
      terms.set(index, term);
      entryHashes.set(index, entryHash);
      prefixHashes.set(index, prefixHash);
    }
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
    base = 0;
  }
}
