package io.raftdb.sim;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one thread of a {@link SimNetwork} that delivers held-back messages when their delay is
 * over. Messages due at the same moment run in the order they were scheduled.
 *
 * <p>The thread is a daemon and is started only when the first message is held back, so a reliable
 * network never owns a thread. {@link #close} stops it and forgets everything still waiting.
 */
final class DeliveryScheduler {

  /** How long {@link #close} waits for a delivery in progress (handlers only enqueue). */
  private static final long CLOSE_WAIT_SECONDS = 5;

  private final ScheduledThreadPoolExecutor executor;
  private final AtomicLong waiting = new AtomicLong();
  private volatile Thread thread;

  DeliveryScheduler(String threadName) {
    executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread created = new Thread(runnable, threadName);
      created.setDaemon(true);
      thread = created;
      return created;
    });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Runs {@code delivery} on the scheduler thread after {@code delayMs}; ignored once closed. */
  void schedule(Runnable delivery, long delayMs) {
    waiting.incrementAndGet();
    try {
      executor.schedule(() -> {
        try {
          delivery.run();
        } finally {
          waiting.decrementAndGet();
        }
      }, delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      waiting.decrementAndGet();
    }
  }

  /** How many deliveries are scheduled and have not finished. */
  long waiting() {
    return waiting.get();
  }

  /**
   * Stops the thread; deliveries not yet started are dropped. Waits briefly for a delivery in
   * progress, unless called from a handler on the scheduler thread itself.
   */
  void close() {
    List<Runnable> dropped = executor.shutdownNow();
    waiting.addAndGet(-dropped.size());
    if (Thread.currentThread() == thread) {
      return;
    }
    try {
      executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
