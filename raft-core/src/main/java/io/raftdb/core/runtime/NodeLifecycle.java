package io.raftdb.core.runtime;

import io.raftdb.NodeClosedException;
import io.raftdb.NodeId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether a node runs, and why it stopped: closed by its owner, or stopped by a fatal error
 * (storage, state machine, or a bug). The first stop wins; later ones change nothing.
 *
 * <p>Threading: safe from any thread. Stopping only raises a flag and wakes the node's threads,
 * which then finish on their own, so a stop never waits and can come from any thread, including
 * the node's own.
 */
final class NodeLifecycle {
  private final NodeId id;
  private final AtomicReference<NodeClosedException> stopped = new AtomicReference<>();
  private volatile List<Mailbox> toWake = List.of();
  private volatile boolean loopFinished;
  private final AtomicInteger threadsRunning = new AtomicInteger();
  private final NodeFuture<Void> terminated = new NodeFuture<>();
  private final Runnable onTerminated;

  /**
   * @param onTerminated runs once the node has stopped and its threads have ended (or, for a
   *     node that never started, once it is closed)
   */
  NodeLifecycle(NodeId id, Runnable onTerminated) {
    this.id = id;
    this.onTerminated = onTerminated;
  }

  /** The mailboxes whose consumers must be woken to notice a stop; set once at start. */
  void wakeOnStop(List<Mailbox> mailboxes) {
    this.toWake = List.copyOf(mailboxes);
  }

  /**
   * Asks the node to stop; {@code cause} is {@code null} for an orderly close. Returns whether
   * this call was the one that stopped it.
   */
  boolean stop(Throwable cause) {
    NodeClosedException closed =
        cause == null ? new NodeClosedException(id) : new NodeClosedException(id, cause);
    if (!stopped.compareAndSet(null, closed)) {
      return false;
    }
    for (Mailbox m : toWake) {
      m.wake();
    }
    return true;
  }

  /** Whether a stop was asked for. */
  boolean isStopping() {
    return stopped.get() != null;
  }

  /**
   * The exception every pending and later operation fails with, or {@code null} while running.
   * One shared instance: it names the node and the cause, and creating one per future would cost
   * a stack trace each.
   */
  NodeClosedException closedException() {
    return stopped.get();
  }

  /** The event loop has ended: it hands nothing more to the apply thread. */
  void markLoopFinished() {
    loopFinished = true;
  }

  /** Whether the event loop has ended. */
  boolean isLoopFinished() {
    return loopFinished;
  }

  /** The node's threads are about to start; each calls {@link #threadEnded()} as it ends. */
  void threadsStarting(int count) {
    threadsRunning.set(count);
  }

  /** One of the node's threads is ending; the last one settles {@link #terminated()}. */
  void threadEnded() {
    if (threadsRunning.decrementAndGet() == 0) {
      terminate();
    }
  }

  /** A node that never started was closed: nothing runs that must end first. */
  void closedBeforeStart() {
    terminate();
  }

  private void terminate() {
    onTerminated.run();
    NodeClosedException closed = stopped.get();
    if (closed == null || closed.getCause() == null) {
      terminated.settle(null);
    } else {
      terminated.settleExceptionally(closed.getCause());
    }
  }

  /** Completes once the node has stopped and its threads have ended (see RaftNode). */
  NodeFuture<Void> terminated() {
    return terminated;
  }

  /** Why the node stopped, if a failure stopped it. */
  Optional<Throwable> stopCause() {
    NodeClosedException closed = stopped.get();
    return closed == null ? Optional.empty() : Optional.ofNullable(closed.getCause());
  }
}
