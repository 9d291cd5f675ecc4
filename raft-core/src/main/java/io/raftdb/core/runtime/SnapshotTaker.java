package io.raftdb.core.runtime;

import io.raftdb.Membership;
import io.raftdb.NodeClosedException;
import io.raftdb.NodeId;
import io.raftdb.StateMachine;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the snapshots of one node on its apply thread and writes them in the background. They
 * come from two places: the policy (once {@code threshold} entries, or commands of
 * {@code thresholdBytes} bytes in all, were applied since the last snapshot) and the application
 * ({@link io.raftdb.RaftNode#takeSnapshot}, through {@link #takeFor}). Either way the state
 * machine captures its state on the apply thread (quickly, by contract), and a separate thread
 * ({@code raft-snapshot-<id>}) streams it to the {@link SnapshotStorage}, one snapshot at a time.
 * When it is durable, {@code onSaved} tells the event loop, which lets the log drop the prefix it
 * covers.
 *
 * <p>While one snapshot is written, the policy takes none; an application's request is captured
 * at once (its index must be exact) and waits to be written next. Only the newest waiting
 * capture is kept: it covers the older ones, whose callers get its {@link SnapshotInfo}.
 *
 * <p>A policy snapshot that fails, in the state machine's capture or in the write, is skipped
 * with a warning and the node carries on: the log simply keeps its prefix until the next
 * threshold brings a snapshot that succeeds. A requested one fails its callers' futures instead.
 */
final class SnapshotTaker {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotTaker.class);

  /** A captured state on its way to storage, and who waits for it. */
  private static final class Write {
    final long index;
    final long term;
    /** The membership as of {@code index}, captured with the state. */
    final Membership members;
    final StateMachine.SnapshotWriter state;
    final List<NodeFuture<SnapshotInfo>> waiters;

    Write(long index, long term, Membership members, StateMachine.SnapshotWriter state,
        List<NodeFuture<SnapshotInfo>> waiters) {
      this.index = index;
      this.term = term;
      this.members = members;
      this.state = state;
      this.waiters = new ArrayList<>(waiters);
    }
  }

  private final NodeId self;
  private final StateMachine stateMachine;
  private final SnapshotStorage snapshots;
  private final AppliedMembership membership;
  private final long threshold;
  private final long thresholdBytes;
  private final Consumer<SnapshotInfo> onSaved;
  /** Guards {@link #writing}, {@link #next}, {@link #closed} and the writes' waiter lists. */
  private final Object lock = new Object();
  private Write writing;
  private Write next;
  private boolean closed;
  private volatile SnapshotInfo lastSaved;
  private ExecutorService writer;
  private boolean supported = true;
  /** The index of the last snapshot taken or restored; apply thread only. */
  private long lastSnapshotIndex;
  /** Command bytes applied since then; apply thread only. */
  private long bytesSinceSnapshot;

  SnapshotTaker(NodeId self, StateMachine stateMachine, SnapshotStorage snapshots,
      AppliedMembership membership, long threshold, long thresholdBytes, long startIndex,
      Consumer<SnapshotInfo> onSaved) {
    this.self = self;
    this.stateMachine = stateMachine;
    this.snapshots = snapshots;
    this.membership = membership;
    this.threshold = threshold;
    this.thresholdBytes = thresholdBytes;
    this.onSaved = onSaved;
    this.lastSnapshotIndex = startIndex;
  }

  /**
   * Called on the apply thread after each applied batch.
   *
   * @param batchBytes the bytes of the commands in the batch
   */
  void afterApply(long appliedIndex, long appliedTerm, long batchBytes) {
    bytesSinceSnapshot += batchBytes;
    boolean due = appliedIndex - lastSnapshotIndex >= threshold
        || bytesSinceSnapshot >= thresholdBytes;
    if (snapshots == null || !supported || !due || isBusy()) {
      return;
    }
    StateMachine.SnapshotWriter state;
    try {
      state = stateMachine.captureSnapshot();
    } catch (RuntimeException e) {
      // Tolerated like a failed write: the state machine is unchanged by a capture, the log
      // keeps its prefix, and the next threshold brings another try. Counting from here keeps a
      // capture that fails every time from being retried after every batch.
      lastSnapshotIndex = appliedIndex;
      bytesSinceSnapshot = 0;
      LOG.warn("node {}: the state machine failed to capture snapshot {}@{}; it is skipped and"
          + " the next threshold brings another try", self, appliedIndex, appliedTerm, e);
      return;
    }
    if (state == null) {
      supported = false;
      LOG.info("node {}: the state machine takes no snapshots; the log will not be compacted",
          self);
      return;
    }
    lastSnapshotIndex = appliedIndex;
    bytesSinceSnapshot = 0;
    enqueue(new Write(appliedIndex, appliedTerm, membership.current(), state, List.of()));
  }

  /**
   * Takes a snapshot at {@code index} for the application's {@code waiters}, on the apply thread,
   * with the state machine's state exactly as of that index (the caller sees to that). A snapshot
   * already saved or on its way that covers {@code index} serves them instead. Clear errors for
   * what cannot work: no snapshot storage, a state machine without snapshots, nothing applied.
   */
  void takeFor(long index, long term, List<NodeFuture<SnapshotInfo>> waiters) {
    if (waiters.isEmpty()) {
      return;
    }
    RuntimeException refused = refusal(index);
    if (refused != null) {
      waiters.forEach(w -> w.settleExceptionally(refused));
      return;
    }
    synchronized (lock) {
      Write newest = next != null ? next : writing;
      if (newest != null && newest.index >= index) {
        newest.waiters.addAll(waiters);
        return;
      }
    }
    SnapshotInfo saved = lastSaved;
    if (saved != null && saved.index() >= index) {
      waiters.forEach(w -> w.settle(saved));
      return;
    }
    StateMachine.SnapshotWriter state;
    try {
      state = stateMachine.captureSnapshot();
    } catch (RuntimeException e) {
      LOG.warn("node {}: the state machine failed to capture requested snapshot {}@{}", self,
          index, term, e);
      waiters.forEach(w -> w.settleExceptionally(e));
      return;
    }
    if (state == null) {
      supported = false;
      takeFor(index, term, waiters); // now refused, with the reason
      return;
    }
    lastSnapshotIndex = Math.max(lastSnapshotIndex, index);
    bytesSinceSnapshot = 0;
    enqueue(new Write(index, term, membership.current(), state, waiters));
  }

  /** Why a requested snapshot at {@code index} cannot be taken, or {@code null}. */
  private RuntimeException refusal(long index) {
    if (snapshots == null) {
      return new IllegalStateException("node " + self + " has no snapshot storage: give the"
          + " builder one to take snapshots");
    }
    if (!supported) {
      return new UnsupportedOperationException("the state machine of node " + self
          + " takes no snapshots: its captureSnapshot returns null");
    }
    if (index < 1) {
      return new IllegalStateException("node " + self + " has applied nothing yet: there is"
          + " no state to snapshot");
    }
    return null;
  }

  /** A snapshot was loaded into the state machine; count from there. Apply thread. */
  void restored(long index) {
    lastSnapshotIndex = Math.max(lastSnapshotIndex, index);
    bytesSinceSnapshot = 0;
  }

  private boolean isBusy() {
    synchronized (lock) {
      return writing != null || next != null;
    }
  }

  /**
   * Writes {@code w} now if nothing is being written, else after the write in progress, in place
   * of (and for the callers of) an older capture still waiting.
   */
  private void enqueue(Write w) {
    boolean refused;
    synchronized (lock) {
      refused = closed;
      if (!closed && writing != null) {
        if (next != null) {
          w.waiters.addAll(next.waiters);
        }
        next = w;
        return;
      }
      if (!closed) {
        writing = w;
      }
    }
    if (refused) { // failed outside the lock, as callers' continuations run then
      failAll(w, new NodeClosedException(self));
      return;
    }
    writer().execute(this::writeAll);
  }

  /** On the writer thread: writes what is due, then what came meanwhile, until nothing is left. */
  private void writeAll() {
    Write w;
    synchronized (lock) {
      w = writing;
    }
    while (w != null) {
      SnapshotInfo saved = null;
      RuntimeException failure = null;
      try {
        saved = snapshots.save(w.index, w.term, w.members, w.state);
        LOG.debug("node {} saved snapshot {}@{} ({} bytes)", self, w.index, w.term,
            saved.sizeBytes());
        lastSaved = saved;
        onSaved.accept(saved);
      } catch (RuntimeException e) {
        // The log keeps its prefix and the next threshold or request brings another try.
        LOG.warn("node {}: writing snapshot {}@{} failed", self, w.index, w.term, e);
        failure = e;
      }
      List<NodeFuture<SnapshotInfo>> waiters;
      synchronized (lock) {
        waiters = List.copyOf(w.waiters);
        writing = next;
        next = null;
        w = writing;
      }
      for (NodeFuture<SnapshotInfo> waiter : waiters) {
        if (failure == null) {
          waiter.settle(saved);
        } else {
          waiter.settleExceptionally(failure);
        }
      }
    }
  }

  private static void failAll(Write w, Throwable cause) {
    for (NodeFuture<SnapshotInfo> waiter : w.waiters) {
      waiter.settleExceptionally(cause);
    }
  }

  private ExecutorService writer() {
    if (writer == null) {
      writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "raft-snapshot-" + self);
        t.setDaemon(true);
        return t;
      });
    }
    return writer;
  }

  /**
   * Stops the writer thread, letting a snapshot in progress finish (bounded); the callers of one
   * still waiting then fail with {@link NodeClosedException}. Apply thread.
   */
  void close() {
    NodeClosedException closed = new NodeClosedException(self);
    Write waiting;
    synchronized (lock) {
      this.closed = true;
      waiting = next;
      next = null;
    }
    if (waiting != null) {
      failAll(waiting, closed);
    }
    if (writer != null) {
      writer.shutdown();
      try {
        if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
          LOG.warn("node {}: a snapshot write did not finish within 10 s", self);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (lock) {
      waiting = writing; // only if the write in progress did not finish in time
    }
    if (waiting != null) {
      failAll(waiting, closed);
    }
  }
}
