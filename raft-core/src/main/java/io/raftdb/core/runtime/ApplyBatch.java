package io.raftdb.core.runtime;

import io.raftdb.message.LogEntry;
import java.util.List;

/**
 * Committed entries handed from the event loop to the apply thread, in index order, with the
 * commands proposed on this node that they settle.
 *
 * @param entries consecutive committed entries, never empty
 * @param waiters {@code waiters[i]} is the command whose result the application of
 *     {@code entries.get(i)} gives, or {@code null}; the whole array is {@code null} when no
 *     entry has one (as on a follower)
 * @param bytes the entries' size estimates added up: what they count against
 *     {@link io.raftdb.RaftConfig#maxApplyBacklogBytes()} until applied
 * @param handedOverAtNanos when the event loop handed them over ({@link System#nanoTime})
 */
record ApplyBatch(List<LogEntry> entries, PendingCommand[] waiters, long bytes,
    long handedOverAtNanos) {

  /** Fails every waiting command. */
  void failAll(Throwable cause) {
    if (waiters != null) {
      for (PendingCommand c : waiters) {
        if (c != null) {
          c.fail(cause);
        }
      }
    }
  }
}
