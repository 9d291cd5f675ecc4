package io.raftdb.core.protocol;

import io.raftdb.LogPosition;
import io.raftdb.message.LogEntry;
import io.raftdb.message.LogEntryCodec;
import io.raftdb.storage.LogStorage;
import java.util.ArrayList;
import java.util.List;

/**
 * The log as the protocol sees it: the entries written to {@link LogStorage} followed by the
 * <em>unstable</em> entries appended since the last {@link Ready} was written. A conflicting
 * suffix may be replaced while it is still unstable, or, when it was already durable, the new
 * unstable entries start at or before the storage's last index and the runtime truncates the
 * storage before writing them.
 *
 * <p>After a snapshot is installed the whole log is discarded: until that reset is persisted the
 * storage is ignored and the log starts just after the snapshot.
 *
 * <p>Written is not yet durable: the runtime may sync on another thread while the protocol goes
 * on (pipelined persistence), and reports what a finished sync covered with
 * {@link #persisted}. The {@linkplain #durableLastIndex() durable index} is what the leader counts
 * for itself and how far committed entries are handed out.
 *
 * <p>The protocol never writes to the storage itself; it only reads.
 */
final class RaftLog {
  private final LogStorage storage;
  private final ArrayList<LogEntry> unstable = new ArrayList<>();
  /** Index of {@code unstable.get(0)}; at most {@code storage.lastIndex() + 1} unless reset. */
  private long unstableStart;
  /** Where the log restarts after an installed snapshot, until the runtime persists it. */
  private LogPosition pendingReset;
  /** The last index known to be durable: written, and covered by a sync since. */
  private long durableIndex;

  RaftLog(LogStorage storage) {
    this.storage = storage;
    this.unstableStart = storage.lastIndex() + 1;
    this.durableIndex = storage.lastIndex(); // what a restart finds is what survived
  }

  long firstIndex() {
    return pendingReset != null ? pendingReset.index() + 1
        : Math.min(storage.firstIndex(), unstableStart);
  }

  long lastIndex() {
    return unstableStart + unstable.size() - 1;
  }

  long lastTerm() {
    return term(lastIndex());
  }

  /** The term at {@code index}, for {@code firstIndex() - 1 <= index <= lastIndex()}. */
  long term(long index) {
    if (index >= unstableStart) {
      long offset = index - unstableStart;
      if (offset >= unstable.size()) {
        throw new IndexOutOfBoundsException("index " + index + " is past the last " + lastIndex());
      }
      return unstable.get((int) offset).term();
    }
    if (pendingReset != null) {
      if (index == pendingReset.index()) {
        return pendingReset.term();
      }
      throw new IndexOutOfBoundsException("index " + index + " is before the installed snapshot "
          + pendingReset.index());
    }
    return storage.term(index);
  }

  /** The term at {@code index}, or -1 if the log does not reach that far or no longer holds it. */
  long termOrMissing(long index) {
    if (index > lastIndex() || index < firstIndex() - 1) {
      return -1;
    }
    return term(index);
  }

  /** Whether a log ending at {@code (index, term)} is at least as up to date as this one (§3.6.1). */
  boolean isUpToDate(long index, long term) {
    long myTerm = lastTerm();
    return term > myTerm || (term == myTerm && index >= lastIndex());
  }

  /** Entries in {@code [from, toExclusive)}, at least one, at most about {@code maxBytes}. */
  List<LogEntry> entries(long from, long toExclusive, long maxBytes) {
    if (from >= toExclusive) {
      return List.of();
    }
    List<LogEntry> out;
    long stableEnd = Math.min(toExclusive, unstableStart);
    long bytes = 0;
    if (from < stableEnd) {
      out = new ArrayList<>(storage.entries(from, stableEnd, maxBytes));
      for (LogEntry e : out) {
        bytes += e.sizeEstimate();
      }
      if (from + out.size() < stableEnd) {
        return out; // the size limit stopped the storage read
      }
    } else {
      out = new ArrayList<>();
    }
    for (long i = Math.max(from, unstableStart); i < toExclusive; i++) {
      LogEntry e = unstable.get((int) (i - unstableStart));
      if (!out.isEmpty() && bytes + e.sizeEstimate() > maxBytes) {
        break;
      }
      out.add(e);
      bytes += e.sizeEstimate();
    }
    return out;
  }

  /** Whether the storage can hold {@code entry} (see {@link LogStorage#maxEntryBytes()}). */
  boolean fits(LogEntry entry) {
    long max = storage.maxEntryBytes();
    if (max == Long.MAX_VALUE) {
      return true;
    }
    try {
      return LogEntryCodec.encodedSize(entry) <= max;
    } catch (IllegalArgumentException tooLargeForAnyRecord) {
      return false;
    }
  }

  /** Appends one entry at {@code lastIndex() + 1}. */
  void append(LogEntry entry) {
    if (entry.index() != lastIndex() + 1) {
      throw new IllegalStateException("append at " + entry.index() + " after " + lastIndex());
    }
    unstable.add(entry);
  }

  /**
   * Discards the entries from {@code index} on, which conflict with the leader's; the runtime
   * truncates them from storage when the next {@link Ready} is persisted. Always followed by
   * appending the leader's entry at {@code index}, so a truncation never travels alone.
   */
  void truncateFrom(long index) {
    durableIndex = Math.min(durableIndex, index - 1);
    if (index >= unstableStart) {
      unstable.subList((int) (index - unstableStart), unstable.size()).clear();
    } else {
      unstable.clear();
      unstableStart = index;
    }
  }

  /**
   * Discards the whole log: it now continues after {@code snapshot}, which a newly installed
   * snapshot covers. The runtime resets the storage when the next {@link Ready} is persisted.
   */
  void resetTo(LogPosition snapshot) {
    unstable.clear();
    pendingReset = snapshot;
    unstableStart = snapshot.index() + 1;
    durableIndex = snapshot.index(); // the snapshot itself is durable; the log holds nothing
  }

  /** The reset to persist before {@link #unstableEntries()}, or {@code null}. */
  LogPosition pendingReset() {
    return pendingReset;
  }

  /** The entries to persist next, in order (the first may overwrite durable ones). */
  List<LogEntry> unstableEntries() {
    return List.copyOf(unstable);
  }

  /** Whether some entries or a reset wait to be persisted. */
  boolean hasUnstable() {
    return !unstable.isEmpty() || pendingReset != null;
  }

  /** The runtime has written everything {@link #unstableEntries()} returned (maybe not synced). */
  void markWritten() {
    pendingReset = null;
    unstable.clear();
    unstableStart = storage.lastIndex() + 1;
  }

  /**
   * A sync finished that covered the log as it was when its last entry was {@code (index,
   * term)}. Ignored if the log no longer holds that entry (a conflicting suffix was replaced
   * since): the entries the sync covered are then not the ones the log has now.
   */
  void persisted(long index, long term) {
    if (index > durableIndex && index <= lastIndex() && term(index) == term) {
      durableIndex = index;
    }
  }

  /** The last index that is durable on this node's disk. */
  long durableLastIndex() {
    return durableIndex;
  }

  /**
   * The last index at or below {@code atMost} whose term is at most {@code term} (terms never
   * decrease along the log, so this is a binary search), or {@code firstIndex() - 1}.
   */
  long lastIndexWithTermAtMost(long term, long atMost) {
    long lo = firstIndex() - 1;
    long hi = Math.min(atMost, lastIndex());
    if (hi < lo) {
      return lo;
    }
    while (lo < hi) {
      long mid = lo + (hi - lo + 1) / 2;
      if (term(mid) <= term) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /**
   * The first index in {@code [from, to]} whose term is at least {@code term}, assuming
   * {@code term(to) >= term} (binary search).
   */
  long firstIndexWithTermAtLeast(long term, long from, long to) {
    long lo = Math.max(from, firstIndex());
    long hi = to;
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      if (term(mid) >= term) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return hi;
  }
}
