package io.raftdb.core.storage;

import io.raftdb.message.LogEntry;
import io.raftdb.storage.LogStorage;
import java.util.List;

/**
 * A {@link LogStorage} that passes every call to another one; subclasses override what they
 * change (a log that keeps only recent entries, a fault-injecting log in a simulator).
 */
public abstract class ForwardingLogStorage implements LogStorage {
  private final LogStorage inner;

  /** Forwards to {@code inner}. */
  protected ForwardingLogStorage(LogStorage inner) {
    this.inner = inner;
  }

  @Override
  public long firstIndex() {
    return inner.firstIndex();
  }

  @Override
  public long lastIndex() {
    return inner.lastIndex();
  }

  @Override
  public long term(long index) {
    return inner.term(index);
  }

  @Override
  public List<LogEntry> entries(long from, long toExclusive, long maxBytes) {
    return inner.entries(from, toExclusive, maxBytes);
  }

  @Override
  public void append(List<LogEntry> entries) {
    inner.append(entries);
  }

  @Override
  public void truncateSuffix(long fromIndex) {
    inner.truncateSuffix(fromIndex);
  }

  @Override
  public void compactPrefix(long upToIndex) {
    inner.compactPrefix(upToIndex);
  }

  @Override
  public void reset(long snapshotIndex, long snapshotTerm) {
    inner.reset(snapshotIndex, snapshotTerm);
  }

  @Override
  public void sync() {
    inner.sync();
  }

  @Override
  public void close() {
    inner.close();
  }

  @Override
  public long maxEntryBytes() {
    return inner.maxEntryBytes();
  }

  @Override
  public boolean syncsConcurrently() {
    return inner.syncsConcurrently();
  }
}
