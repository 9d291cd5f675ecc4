package io.raftdb.core.runtime;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.StateMachine;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotStorage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when the apply thread takes a snapshot, and writes it in the background: once
 * {@code threshold} entries, or commands of {@code thresholdBytes} bytes in all, were applied
 * since the last snapshot, the state machine captures its
 * state on the apply thread (quickly, by contract), and a separate thread
 * ({@code raft-snapshot-<id>}) streams it to the {@link SnapshotStorage}. Only one snapshot is
 * written at a time. When it is durable, {@code onSaved} tells the event loop, which lets the log
 * drop the prefix it covers.
 *
 * <p>A snapshot that fails, in the state machine's capture or in the write, is skipped with a
 * warning and the node carries on: the log simply keeps its prefix until the next threshold
 * brings a snapshot that succeeds.
 */
final class SnapshotTaker {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotTaker.class);

  private final NodeId self;
  private final StateMachine stateMachine;
  private final SnapshotStorage snapshots;
  private final AppliedMembership membership;
  private final long threshold;
  private final long thresholdBytes;
  private final Consumer<SnapshotInfo> onSaved;
  private final AtomicBoolean writing = new AtomicBoolean();
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
    if (snapshots == null || !supported || !due || !writing.compareAndSet(false, true)) {
      return;
    }
    StateMachine.SnapshotWriter state;
    try {
      state = stateMachine.captureSnapshot();
    } catch (RuntimeException e) {
      // Tolerated like a failed write: the state machine is unchanged by a capture, the log
      // keeps its prefix, and the next threshold brings another try. Counting from here keeps a
      // capture that fails every time from being retried after every batch.
      writing.set(false);
      lastSnapshotIndex = appliedIndex;
      bytesSinceSnapshot = 0;
      LOG.warn("node {}: the state machine failed to capture snapshot {}@{}; it is skipped and"
          + " the next threshold brings another try", self, appliedIndex, appliedTerm, e);
      return;
    }
    if (state == null) {
      supported = false;
      writing.set(false);
      LOG.info("node {}: the state machine takes no snapshots; the log will not be compacted",
          self);
      return;
    }
    lastSnapshotIndex = appliedIndex;
    bytesSinceSnapshot = 0;
    Membership members = membership.current(); // of the applied index, as the state is
    writer().execute(() -> write(appliedIndex, appliedTerm, members, state));
  }

  /** A snapshot was loaded into the state machine; count from there. Apply thread. */
  void restored(long index) {
    lastSnapshotIndex = Math.max(lastSnapshotIndex, index);
    bytesSinceSnapshot = 0;
  }

  private void write(long index, long term, Membership members,
      StateMachine.SnapshotWriter state) {
    try {
      SnapshotInfo saved = snapshots.save(index, term, members, state);
      LOG.debug("node {} saved snapshot {}@{} ({} bytes)", self, index, term, saved.sizeBytes());
      onSaved.accept(saved);
    } catch (RuntimeException e) {
      // The log keeps its prefix and the next threshold brings another try.
      LOG.warn("node {}: writing snapshot {}@{} failed", self, index, term, e);
    } finally {
      writing.set(false);
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

  /** Stops the writer thread, letting a snapshot in progress finish (bounded). */
  void close() {
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
  }
}
