package io.raftdb.core.runtime;

import com.google.common.util.concurrent.MoreExecutors;
import io.raftdb.NodeId;
import io.raftdb.NodeListener;
import io.raftdb.NodeStatus;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's listeners and the events it tells them about. The event loop reports each new status;
 * this turns the differences into events and hands each listener its events in order on its own
 * executor (serialised per listener), so that no listener can hold up the loop or see events out
 * of order.
 */
final class NodeListeners {
  private static final Logger LOG = LoggerFactory.getLogger(NodeListeners.class);

  private record Registered(NodeListener listener, Executor serial) {}

  private final NodeId self;
  private final CopyOnWriteArrayList<Registered> listeners = new CopyOnWriteArrayList<>();
  private ExecutorService ownThread;
  private boolean stopped;

  NodeListeners(NodeId self) {
    this.self = self;
  }

  /** Adds a listener whose events run on {@code executor}, one at a time. */
  void add(NodeListener listener, Executor executor) {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(executor, "executor");
    listeners.add(new Registered(listener, MoreExecutors.newSequentialExecutor(executor)));
  }

  /**
   * Adds a listener whose events run on a thread of this node's own. After the node stopped
   * there is nothing left to tell, and nothing is added.
   */
  synchronized void add(NodeListener listener) {
    if (stopped) {
      return;
    }
    if (ownThread == null) {
      ownThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "raft-events-" + self);
        t.setDaemon(true);
        return t;
      });
    }
    add(listener, ownThread);
  }

  /** The node's status went from {@code before} to {@code after}: tell what changed. */
  void statusChanged(NodeStatus before, NodeStatus after) {
    if (listeners.isEmpty()) {
      return;
    }
    if (before.term() != after.term()) {
      tell(l -> l.termChanged(after.term()));
    }
    if (before.role() != after.role()) {
      tell(l -> l.roleChanged(after.role(), after.term()));
    }
    if (!before.leader().equals(after.leader())) {
      tell(l -> l.leaderChanged(after.leader(), after.term()));
    }
  }

  /** The node stopped: the last event; the node's own event thread ends after it. */
  synchronized void stopped(Optional<Throwable> cause) {
    stopped = true;
    tell(l -> l.stopped(cause));
    if (ownThread != null) {
      ownThread.shutdown();
    }
  }

  private void tell(Consumer<NodeListener> event) {
    for (Registered r : listeners) {
      try {
        r.serial().execute(() -> {
          try {
            event.accept(r.listener());
          } catch (RuntimeException e) {
            LOG.warn("node {}: a listener failed", self, e);
          }
        });
      } catch (RuntimeException e) { // a rejecting executor, say one shut down by its owner
        LOG.warn("node {}: could not hand an event to a listener's executor", self, e);
      }
    }
  }
}
