package io.raftdb.core.runtime;

import io.raftdb.storage.SnapshotInfo;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands the event loop the newest snapshot of this node that became durable, so that it can
 * compact the log through it. A single slot rather than a message in the input queue: the queue
 * is bounded and drops what does not fit, and a lost notice would leave the log uncompacted until
 * the next snapshot. Only the newest snapshot matters (compacting through it covers every older
 * one), so a newer snapshot simply replaces one not yet taken, and the slot is never full.
 *
 * <p>Threading: {@link #offer} from the snapshot writer thread, {@link #take} from the event loop,
 * {@link #isPending} from any thread.
 */
final class SavedSnapshotSlot {
  private final AtomicReference<SnapshotInfo> newest = new AtomicReference<>();

  /** Leaves {@code saved} for the event loop, unless a newer one waits there already. */
  void offer(SnapshotInfo saved) {
    newest.accumulateAndGet(saved,
        (waiting, offered) -> waiting == null || offered.index() > waiting.index()
            ? offered : waiting);
  }

  /** The snapshot waiting, or {@code null}; empties the slot. */
  SnapshotInfo take() {
    // A plain read first: the loop looks every iteration and the slot is nearly always empty.
    return newest.get() == null ? null : newest.getAndSet(null);
  }

  /** Whether a snapshot waits to be taken. */
  boolean isPending() {
    return newest.get() != null;
  }
}
