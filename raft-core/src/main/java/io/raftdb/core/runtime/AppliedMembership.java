package io.raftdb.core.runtime;

import io.raftdb.Membership;
import io.raftdb.NodeClosedException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The membership as of this node's applied index (committed, unlike the protocol's, which takes
 * effect on append), and callers waiting for it to reach a state: a learner promoted, a joint
 * change left. Written by the apply thread, awaited from any thread; changes are rare, so a lock
 * does.
 */
final class AppliedMembership {
  private final List<Waiter> waiters = new ArrayList<>();
  private Membership current;
  private NodeClosedException closed;

  AppliedMembership(Membership initial) {
    this.current = initial;
  }

  private record Waiter(Predicate<Membership> reached, NodeFuture<Membership> future) {}

  /** The membership of the applied index. */
  synchronized Membership current() {
    return current;
  }

  /** A membership entry (or a snapshot's membership) was applied. */
  void applied(Membership m) {
    List<Waiter> done = new ArrayList<>();
    synchronized (this) {
      current = m;
      for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (w.reached.test(m)) {
          done.add(w);
          it.remove();
        }
      }
    }
    done.forEach(w -> w.future.settle(m)); // outside the lock: settling runs callbacks
  }

  /** Completes with the first applied membership that {@code reached} accepts, maybe this one. */
  NodeFuture<Membership> await(Predicate<Membership> reached) {
    NodeFuture<Membership> future = new NodeFuture<>();
    Membership now;
    synchronized (this) {
      if (closed != null) {
        future.settleExceptionally(closed);
        return future;
      }
      now = current;
      if (!reached.test(now)) {
        waiters.add(new Waiter(reached, future));
        return future;
      }
    }
    future.settle(now);
    return future;
  }

  /** The node stopped: fails every waiter, now and later. */
  void close(NodeClosedException cause) {
    List<Waiter> failed;
    synchronized (this) {
      closed = cause;
      failed = new ArrayList<>(waiters);
      waiters.clear();
    }
    failed.forEach(w -> w.future.settleExceptionally(cause));
  }
}
