package io.raftdb.bench;

import io.raftdb.core.storage.ForwardingLogStorage;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.message.LogEntry;
import java.util.List;

/**
 * An in-memory log that keeps only its most recent entries, so that a benchmark can run for
 * minutes without holding every command ever committed (snapshots, which would compact the log
 * properly, are not part of these benchmarks). A follower that fell further behind than the
 * retained window would need a snapshot: its leader then fails loudly, which fails the benchmark
 * rather than skewing it.
 */
final class RecentEntriesLog extends ForwardingLogStorage {
  private static final long RETAINED = 200_000;
  private final MemoryLogStorage log;

  RecentEntriesLog() {
    this(new MemoryLogStorage());
  }

  private RecentEntriesLog(MemoryLogStorage log) {
    super(log);
    this.log = log;
  }

  @Override
  public void append(List<LogEntry> entries) {
    log.append(entries);
    long dropTo = log.lastIndex() - RETAINED;
    if (dropTo >= log.firstIndex() + RETAINED / 2) {
      log.compactPrefix(dropTo);
    }
  }
}
