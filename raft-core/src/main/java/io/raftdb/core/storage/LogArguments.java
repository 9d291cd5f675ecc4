package io.raftdb.core.storage;

import io.raftdb.message.LogEntry;
import java.util.List;

/**
 * The argument checks every {@link io.raftdb.storage.LogStorage} implementation makes, in one
 * place so that the in-memory and the on-disk logs reject exactly the same calls with the same
 * messages. Each check runs before anything is changed, so a rejected call changes nothing.
 */
public final class LogArguments {
  private LogArguments() {}

  /**
   * Checks that {@code entries} continue a log ending at {@code lastIndex} with term
   * {@code lastTerm}: consecutive indices and terms that never decrease.
   *
   * @throws IllegalArgumentException if they do not
   */
  public static void checkAppend(List<LogEntry> entries, long lastIndex, long lastTerm) {
    long expectedIndex = lastIndex + 1;
    long previousTerm = lastTerm;
    for (LogEntry entry : entries) {
      if (entry.index() != expectedIndex) {
        throw new IllegalArgumentException("append expected index " + expectedIndex + " but got "
            + entry + " (log ends at " + lastIndex + ")");
      }
      if (entry.term() < previousTerm) {
        throw new IllegalArgumentException("append would decrease the term: " + entry
            + " after term " + previousTerm);
      }
      expectedIndex++;
      previousTerm = entry.term();
    }
  }

  /** Checks a {@code truncateSuffix(fromIndex)} against a log {@code firstIndex..lastIndex}. */
  public static void checkTruncate(long fromIndex, long firstIndex, long lastIndex) {
    if (fromIndex < firstIndex || fromIndex > lastIndex + 1) {
      throw new IllegalArgumentException("cannot truncate from " + fromIndex + ": the log holds "
          + firstIndex + ".." + lastIndex + " (a compacted entry is committed; past the end"
          + " there is nothing to remove)");
    }
  }

  /** Checks a {@code compactPrefix(upToIndex)} against a log ending at {@code lastIndex}. */
  public static void checkCompact(long upToIndex, long lastIndex) {
    if (upToIndex > lastIndex) {
      throw new IllegalArgumentException("cannot compact through " + upToIndex
          + ": the log ends at " + lastIndex + " (use reset for a snapshot beyond the log)");
    }
  }

  /** Checks a {@code reset(snapshotIndex, snapshotTerm)}. */
  public static void checkReset(long snapshotIndex, long snapshotTerm) {
    if (snapshotIndex < 0 || snapshotTerm < 0 || (snapshotIndex == 0) != (snapshotTerm == 0)) {
      throw new IllegalArgumentException("bad snapshot position " + snapshotIndex + "@"
          + snapshotTerm + " (both zero, or both positive)");
    }
  }

  /** Checks a {@code term(index)} lookup against a log {@code firstIndex..lastIndex}. */
  public static void checkTermIndex(long index, long firstIndex, long lastIndex) {
    if (index < firstIndex - 1 || index > lastIndex) {
      throw new IndexOutOfBoundsException("no term for index " + index + ": the log holds "
          + firstIndex + ".." + lastIndex + " (and the term of " + (firstIndex - 1) + ")");
    }
  }

  /** Checks an {@code entries(from, toExclusive, maxBytes)} range. */
  public static void checkRange(long from, long toExclusive, long firstIndex, long lastIndex) {
    if (from < firstIndex || toExclusive < from || toExclusive > lastIndex + 1) {
      throw new IndexOutOfBoundsException("range [" + from + ", " + toExclusive
          + ") is not within the log " + firstIndex + ".." + lastIndex);
    }
  }
}
