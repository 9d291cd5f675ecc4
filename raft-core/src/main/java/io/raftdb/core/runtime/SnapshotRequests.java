package io.raftdb.core.runtime;

import io.raftdb.storage.SnapshotInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The application's requests for a snapshot ({@link io.raftdb.RaftNode#takeSnapshot}) on their
 * way to the apply thread, sorted by where they were made. One made from inside the state
 * machine's {@code apply} must be captured before the next command is applied, so it stays on the
 * apply thread ({@link #takeAskedWhileApplying}); any other waits in a concurrent queue until the
 * apply thread is between two items of work ({@link #takeWaiting}). Nobody waits for a capture
 * on the apply thread, which is what keeps a request from inside {@code apply} from deadlocking.
 *
 * <p>Threading: {@link #request} and {@link #hasWaiting} from any thread; the rest from the
 * apply thread.
 */
final class SnapshotRequests {
  private final Queue<NodeFuture<SnapshotInfo>> waiting = new ConcurrentLinkedQueue<>();
  /** Apply thread only. */
  private final List<NodeFuture<SnapshotInfo>> askedWhileApplying = new ArrayList<>();
  /** Apply thread only: whether the state machine is applying commands now. */
  private boolean applying;
  private volatile Thread applyThread;
  private volatile Mailbox applyQueue;

  /** Names the apply thread and its queue, to wake it for a request; before the node starts. */
  void bind(Thread thread, Mailbox queue) {
    this.applyThread = thread;
    this.applyQueue = queue;
  }

  /** A new request; its future completes once the snapshot for it is durable. Any thread. */
  NodeFuture<SnapshotInfo> request() {
    NodeFuture<SnapshotInfo> future = new NodeFuture<>();
    if (Thread.currentThread() == applyThread && applying) {
      askedWhileApplying.add(future);
      return future;
    }
    waiting.add(future);
    Mailbox queue = applyQueue;
    if (queue != null) {
      queue.wake();
    }
    return future;
  }

  /** Marks the state machine as applying commands (true) or done with them (false). */
  void applying(boolean now) {
    applying = now;
  }

  /** Whether a request was made from inside {@code apply} and not yet taken. */
  boolean askedWhileApplying() {
    return !askedWhileApplying.isEmpty();
  }

  /** The requests made from inside {@code apply} since the last call; emptied. */
  List<NodeFuture<SnapshotInfo>> takeAskedWhileApplying() {
    if (askedWhileApplying.isEmpty()) {
      return List.of();
    }
    List<NodeFuture<SnapshotInfo>> taken = List.copyOf(askedWhileApplying);
    askedWhileApplying.clear();
    return taken;
  }

  /** Whether a request made outside {@code apply} waits. Any thread. */
  boolean hasWaiting() {
    return !waiting.isEmpty();
  }

  /** The requests made outside {@code apply}; emptied. */
  List<NodeFuture<SnapshotInfo>> takeWaiting() {
    List<NodeFuture<SnapshotInfo>> taken = new ArrayList<>();
    NodeFuture<SnapshotInfo> f;
    while ((f = waiting.poll()) != null) {
      taken.add(f);
    }
    return taken;
  }

  /** Fails every request still here, when the node stops. */
  void failAll(Throwable cause) {
    takeAskedWhileApplying().forEach(f -> f.settleExceptionally(cause));
    takeWaiting().forEach(f -> f.settleExceptionally(cause));
  }
}
