package io.raftdb.sim.dst;

import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.message.LogEntry;
import io.raftdb.storage.LogStorage;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The broken log of {@link BrokenVariant#LYING_SYNC}: a {@link MemoryLogStorage} whose
 * {@link #sync()} returns without syncing every other time on average, as a disk with a volatile
 * write cache that claims to have flushed would. Everything else is passed through.
 */
final class LyingSyncLogStorage implements LogStorage {
  private final MemoryLogStorage inner;
  private final SplittableRandom random;

  LyingSyncLogStorage(MemoryLogStorage inner, SplittableRandom random) {
    this.inner = inner;
    this.random = random;
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
    if (random.nextBoolean()) {
      inner.sync();
    }
  }

  @Override
  public void close() {
    inner.close();
  }
}
