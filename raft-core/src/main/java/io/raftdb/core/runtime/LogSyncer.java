package io.raftdb.core.runtime;

import io.raftdb.NodeId;
import io.raftdb.storage.LogStorage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread that syncs a node's log while its event loop goes on stepping messages (pipelined
 * persistence; used when {@link LogStorage#syncsConcurrently()}). The loop asks for a sync
 * covering its writes so far ({@link #request}); this thread runs one sync for everything asked
 * since the last (group commit), publishes what it covered and wakes the loop, which releases
 * what waited for it ({@link SyncPipeline}).
 *
 * <p>Threading: {@link #request}, {@link #takeSynced}, {@link #hasNews} and {@link #awaitIdle}
 * from the loop thread only; {@link #stop} from the loop thread once it stops using the log.
 */
final class LogSyncer implements Runnable {
  /** How long {@link #stop} waits for a sync in progress before giving up on it. */
  private static final long STOP_WAIT_MILLIS = 10_000;

  private final LogStorage log;
  private final Thread thread;
  /** The loop's mailbox, woken when a sync returns; set before the thread starts. */
  private Mailbox loopInputs;
  private volatile long requested;
  private volatile long synced;
  private volatile RuntimeException failure;
  private volatile boolean stopping;
  /** The covered count the loop last took; read and written by the loop thread only. */
  private long taken;

  LogSyncer(NodeId self, LogStorage log) {
    this.log = log;
    this.thread = new Thread(this, "raft-sync-" + self);
    thread.setDaemon(true);
  }

  /** Names the loop's mailbox, whose consumer hears of every returned sync; before start. */
  void wakes(Mailbox inputs) {
    this.loopInputs = inputs;
  }

  void start() {
    thread.start();
  }

  /** Asks for a sync covering the writes counted up to {@code covered}. */
  void request(long covered) {
    requested = covered;
    LockSupport.unpark(thread);
  }

  /** Whether a sync returned (or failed) that the loop has not taken yet. */
  boolean hasNews() {
    return synced != taken || failure != null;
  }

  /**
   * The write count the returned syncs cover, for {@link SyncPipeline#synced}.
   *
   * @throws RuntimeException the sync's failure, if one failed: the node must stop
   */
  long takeSynced() {
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
    taken = synced;
    return taken;
  }

  /**
   * Waits until the sync in flight (if any) has returned, so that the loop may truncate or reset
   * the log without racing it; returns what {@link #takeSynced} returns.
   *
   * @throws RuntimeException the sync's failure, if it failed
   */
  long awaitIdle() {
    while (synced < requested && failure == null && !stopping) {
      LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
    }
    return takeSynced();
  }

  @Override
  public void run() {
    while (!stopping) {
      long target = requested;
      if (target <= synced) {
        LockSupport.park(this); // request() unparks after publishing, so no wake-up is lost
        continue;
      }
      try {
        log.sync();
      } catch (RuntimeException e) {
        failure = e;
        loopInputs.wakeNow();
        return;
      }
      synced = target;
      loopInputs.wake();
    }
  }

  /** Ends the thread, waiting (boundedly) for a sync in progress, before the log is closed. */
  void stop() {
    stopping = true;
    LockSupport.unpark(thread);
    if (thread.isAlive() && Thread.currentThread() != thread) {
      try {
        thread.join(STOP_WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
