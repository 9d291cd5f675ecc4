package io.raftdb.bench;

import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.message.LogEntry;
import io.raftdb.storage.LogStorage;
import java.util.List;

/**
 * An in-memory log that keeps only its most recent entries, so that a benchmark can run for
 * minutes without holding every command ever committed (snapshots, which would compact the log
 * properly, are not part of these benchmarks). A follower that fell further behind than the
 * retained window would need a snapshot: its leader then fails loudly, which fails the benchmark
 * rather than skewing it.
 */
final class RecentEntriesLog implements LogStorage {
  private static final long RETAINED = 200_000;
  private final MemoryLogStorage log = new MemoryLogStorage();

  @Override
  public long firstIndex() {
    return log.firstIndex();
  }

  @Override
  public long lastIndex() {
    return log.lastIndex();
  }

  @Override
  public long term(long index) {
    return log.term(index);
  }

  @Override
  public List<LogEntry> entries(long from, long toExclusive, long maxBytes) {
    return log.entries(from, toExclusive, maxBytes);
  }

  @Override
  public void append(List<LogEntry> entries) {
    log.append(entries);
    long dropTo = log.lastIndex() - RETAINED;
    if (dropTo >= log.firstIndex() + RETAINED / 2) {
      log.compactPrefix(dropTo);
    }
  }

  @Override
  public void truncateSuffix(long fromIndex) {
    log.truncateSuffix(fromIndex);
  }

  @Override
  public void compactPrefix(long upToIndex) {
    log.compactPrefix(upToIndex);
  }

  @Override
  public void reset(long snapshotIndex, long snapshotTerm) {
    log.reset(snapshotIndex, snapshotTerm);
  }

  @Override
  public void sync() {
    log.sync();
  }

  @Override
  public void close() {
    log.close();
  }
}
