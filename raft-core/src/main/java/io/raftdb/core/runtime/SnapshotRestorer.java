package io.raftdb.core.runtime;

import io.raftdb.NodeId;
import io.raftdb.StateMachine;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotStorage;
import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a snapshot the leader installed on this node into the state machine, on the apply thread.
 *
 * <p>The store keeps only the newest few snapshots, and the event loop may store newer ones (the
 * leader ships another, or this node's own snapshots pile up) before the apply thread reaches the
 * restore; the snapshot asked for is then gone. Any stored snapshot at or after its index is as
 * good: a snapshot holds committed state only, and the state at a later index is the state at the
 * earlier one with the committed entries in between applied (the apply loop then skips those
 * entries). So the newest stored snapshot is loaded instead.
 *
 * <p>If no snapshot at or after the index can be loaded (the store fails to read), the state
 * machine must not go on applying entries on top of its old state, and stopping the node would
 * gain nothing: so the restore is retried, backing off up to {@value #MAX_BACKOFF_MILLIS} ms,
 * until it succeeds or the node stops. Meanwhile the node keeps voting and replicating; only its
 * applied index waits.
 */
final class SnapshotRestorer {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotRestorer.class);
  private static final long FIRST_BACKOFF_MILLIS = 10;
  /** Also how long a stop may go unnoticed while retrying. */
  static final long MAX_BACKOFF_MILLIS = 1_000;

  private final NodeId self;
  private final StateMachine stateMachine;
  private final SnapshotStorage snapshots;
  private final NodeLifecycle lifecycle;

  SnapshotRestorer(NodeId self, StateMachine stateMachine, SnapshotStorage snapshots,
      NodeLifecycle lifecycle) {
    this.self = self;
    this.stateMachine = stateMachine;
    this.snapshots = snapshots;
    this.lifecycle = lifecycle;
  }

  /**
   * Loads {@code asked}, or the newest stored snapshot at or after its index if it is no longer
   * stored or unreadable.
   *
   * @return the snapshot loaded, or {@code null} if the node stopped first
   */
  SnapshotInfo restore(SnapshotInfo asked) {
    SnapshotInfo candidate = asked;
    long backoffMillis = FIRST_BACKOFF_MILLIS;
    for (long failures = 1; !lifecycle.isStopping(); failures++) {
      try (InputStream in = snapshots.openState(candidate)) {
        stateMachine.restoreSnapshot(in);
        if (candidate != asked) {
          LOG.info("node {}: installed snapshot {}@{} is no longer stored; loaded the newer {}@{}"
              + " instead", self, asked.index(), asked.term(), candidate.index(),
              candidate.term());
        }
        return candidate;
      } catch (StorageException | IOException e) {
        SnapshotInfo newer = newestOtherThan(candidate, asked.index());
        if (newer != null) {
          candidate = newer;
          continue; // no wait: a snapshot that is there is worth trying at once
        }
        if (Long.bitCount(failures) == 1) { // the 1st, 2nd, 4th, 8th... failure: rate-limited
          LOG.warn("node {}: cannot load installed snapshot {}@{} ({} failures so far); the"
              + " state machine waits and the load is retried", self, candidate.index(),
              candidate.term(), failures, e);
        }
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(backoffMillis));
        backoffMillis = Math.min(2 * backoffMillis, MAX_BACKOFF_MILLIS);
      } catch (IllegalStateException e) {
        if (lifecycle.isStopping()) {
          return null; // the store was closed under us by the stopping event loop
        }
        throw e;
      }
    }
    return null;
  }

  /** The newest stored snapshot if it covers {@code atLeast} and is not {@code tried}. */
  private SnapshotInfo newestOtherThan(SnapshotInfo tried, long atLeast) {
    Optional<SnapshotInfo> newest = snapshots.latest();
    if (newest.isEmpty()) {
      return null;
    }
    SnapshotInfo s = newest.get();
    boolean same = s.index() == tried.index() && s.term() == tried.term();
    return !same && s.index() >= atLeast ? s : null;
  }
}
