package io.raftdb.sim.dst;

/** The counters behind {@link SnapshotActivity}, which the nodes bump as things happen. */
final class SnapshotCounters {
  long taken;
  long received;
  long installed;
  long restarts;
  long compactions;
  long transfers;
  long chunks;
  long abandoned;

  /** What was counted so far. */
  SnapshotActivity snapshot() {
    return new SnapshotActivity(taken, received, installed, restarts, compactions, transfers,
        chunks, abandoned);
  }
}
