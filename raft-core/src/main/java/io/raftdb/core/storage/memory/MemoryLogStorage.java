package io.raftdb.core.storage.memory;

import io.raftdb.core.storage.LogArguments;
import io.raftdb.message.LogEntry;
import io.raftdb.storage.LogStorage;
import io.raftdb.storage.StorageException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LogStorage} in memory that behaves like a disk behind a page cache: every write is
 * visible at once, but only what was written before the last {@link #sync()} is durable.
 * {@link #durableCopy()} returns what a node restarted after a crash would find, which lets tests
 * and the simulator crash a node without a file system.
 *
 * <p>Lookups by index are O(1); a sync costs O(entries written since the previous sync).
 *
 * <p>Threading: one writer (the node's loop) which is also the only reader. {@link #durableCopy()}
 * may be called from any thread at any time, also after {@link #close()}.
 */
public final class MemoryLogStorage implements LogStorage {
  /** What readers and the writer see. Confined to the writer thread. */
  private final EntryRing live;

  /** What survives a crash: the state of {@link #live} at the last sync. */
  private final EntryRing durable;

  /** Lowest index appended or truncated from since the last sync; MAX_VALUE if none. */
  private long lowestChangedSinceSync = Long.MAX_VALUE;

  /** Whether {@link #reset} ran since the last sync (then the sync copies the whole log). */
  private boolean resetSinceSync;

  private volatile boolean closed;
  private volatile StorageException injectedFailure;

  /** An empty log that never held an entry. */
  public MemoryLogStorage() {
    this(new EntryRing());
  }

  private MemoryLogStorage(EntryRing state) {
    this.live = state;
    this.durable = state.copy();
  }

  /**
   * A new, open log holding exactly what this one had made durable: what a restarted node would
   * find after a crash. Works at any time, from any thread, also after {@link #close()}.
   */
  public MemoryLogStorage durableCopy() {
    synchronized (durable) {
      return new MemoryLogStorage(durable.copy());
    }
  }

  /**
   * Makes every later write and sync throw {@code failure} (as a full disk or a failed device
   * would), or heals the store again when {@code null}. For tests of failure handling.
   */
  public void injectFailure(StorageException failure) {
    this.injectedFailure = failure;
  }

  @Override
  public long firstIndex() {
    checkOpen();
    return live.firstIndex();
  }

  @Override
  public long lastIndex() {
    checkOpen();
    return live.lastIndex();
  }

  @Override
  public long term(long index) {
    checkOpen();
    LogArguments.checkTermIndex(index, live.firstIndex(), live.lastIndex());
    return live.term(index);
  }

  @Override
  public List<LogEntry> entries(long from, long toExclusive, long maxBytes) {
    checkOpen();
    LogArguments.checkRange(from, toExclusive, live.firstIndex(), live.lastIndex());
    List<LogEntry> result = new ArrayList<>((int) Math.min(toExclusive - from, 1024));
    long bytes = 0;
    for (long i = from; i < toExclusive; i++) {
      LogEntry entry = live.get(i);
      bytes += entry.sizeEstimate();
      if (bytes > maxBytes && !result.isEmpty()) {
        break;
      }
      result.add(entry);
    }
    return result;
  }

  @Override
  public void append(List<LogEntry> entries) {
    checkWritable();
    if (entries.isEmpty()) {
      return;
    }
    LogArguments.checkAppend(entries, live.lastIndex(), live.term(live.lastIndex()));
    lowestChangedSinceSync = Math.min(lowestChangedSinceSync, entries.get(0).index());
    for (LogEntry entry : entries) {
      live.add(entry);
    }
  }

  @Override
  public void truncateSuffix(long fromIndex) {
    checkWritable();
    LogArguments.checkTruncate(fromIndex, live.firstIndex(), live.lastIndex());
    lowestChangedSinceSync = Math.min(lowestChangedSinceSync, fromIndex);
    live.truncateFrom(fromIndex);
  }

  @Override
  public void compactPrefix(long upToIndex) {
    checkWritable();
    LogArguments.checkCompact(upToIndex, live.lastIndex());
    if (upToIndex >= live.firstIndex()) {
      live.dropThrough(upToIndex);
    }
  }

  @Override
  public void reset(long snapshotIndex, long snapshotTerm) {
    checkWritable();
    LogArguments.checkReset(snapshotIndex, snapshotTerm);
    live.restartAfter(snapshotIndex, snapshotTerm);
    resetSinceSync = true;
  }

  @Override
  public void sync() {
    checkWritable();
    synchronized (durable) {
      if (resetSinceSync) {
        durable.restartAfter(live.firstIndex() - 1, live.term(live.firstIndex() - 1));
      } else {
        if (lowestChangedSinceSync <= durable.lastIndex()) {
          durable.truncateFrom(Math.max(lowestChangedSinceSync, durable.firstIndex()));
        }
        long liveBefore = live.firstIndex() - 1;
        if (liveBefore > durable.firstIndex() - 1) {
          if (liveBefore <= durable.lastIndex()) {
            durable.dropThrough(liveBefore);
          } else {
            durable.restartAfter(liveBefore, live.term(liveBefore));
          }
        }
      }
      for (long i = durable.lastIndex() + 1; i <= live.lastIndex(); i++) {
        durable.add(live.get(i));
      }
    }
    lowestChangedSinceSync = Long.MAX_VALUE;
    resetSinceSync = false;
  }

  /** Marks the log closed; unsynced writes stay out of {@link #durableCopy()}, as on a crash. */
  @Override
  public void close() {
    closed = true;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("log storage is closed");
    }
  }

  private void checkWritable() {
    checkOpen();
    StorageException failure = injectedFailure;
    if (failure != null) {
      throw failure;
    }
  }
}
