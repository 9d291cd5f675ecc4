package io.raftdb.core.runtime;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jctools.queues.MessagePassingQueue;

/**
 * The queue in front of one consumer thread, which parks when it has nothing to do.
 *
 * <p>Producers pay for {@link LockSupport#unpark} only when the consumer is (about to be) parked,
 * which keeps the hot path to one queue offer and one volatile read. The hand-shake cannot lose a
 * wake-up: the consumer first announces that it is going to sleep and then looks at the queue once
 * more; a producer first publishes its item and then looks at the announcement. Both sides write
 * and then read, with a full fence in between, so at least one of them sees the other's write:
 * either the consumer finds the item, or the producer finds the consumer asleep and unparks it.
 * (This is Dekker's pattern; without the fences a write may be overtaken by the read after it.)
 *
 * <p>Threading: {@link #offer} and {@link #wake} from any thread (or from one thread only, when
 * the queue is single-producer); everything else from the consumer thread.
 */
final class Mailbox {
  private final MessagePassingQueue<Object> queue;
  private final BooleanSupplier otherWork;
  private volatile Thread consumer;
  private volatile boolean sleeping;

  /**
   * @param queue the queue, of the kind its producers need (MPSC or SPSC)
   * @param otherWork whether there is something to do besides the queue (a stop, a hand-off
   *     outside the queue), so that it is never slept through; whoever makes it true calls
   *     {@link #wake} after
   */
  Mailbox(MessagePassingQueue<Object> queue, BooleanSupplier otherWork) {
    this.queue = queue;
    this.otherWork = otherWork;
  }

  /** Names the thread that consumes; before the first {@link #sleepUntil}. */
  void bind(Thread consumerThread) {
    this.consumer = consumerThread;
  }

  /** Adds an item and wakes the consumer if it sleeps; false if the queue is full. */
  boolean offer(Object item) {
    if (!queue.offer(item)) {
      return false;
    }
    // An SPSC queue publishes the item with an ordered (release) store only, and a release store
    // followed by a load may be reordered (on x86 the store waits in the store buffer while the
    // load reads memory): the producer could read "not sleeping" while the consumer, having just
    // announced its sleep, still finds the queue empty, and the item would wait for the
    // consumer's idle safety net. The fence makes our store visible before we read the flag. The
    // consumer's side needs nothing more: a volatile store followed by a volatile load (of the
    // queue's producer index) is never reordered. MailboxWakeUpStressTest lost about one
    // hand-off in a million without this fence.
    VarHandle.fullFence();
    wake();
    return true;
  }

  /** Unparks the consumer if it is (about to be) parked. */
  void wake() {
    if (sleeping) {
      wakeNow();
    }
  }

  /** Unparks the consumer whatever it is doing (for rare events such as shutdown). */
  void wakeNow() {
    Thread t = consumer;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** The next item, or {@code null}; may miss an item a producer is still publishing. */
  Object poll() {
    return queue.relaxedPoll();
  }

  /** The next item, or {@code null} only when the queue is truly empty. */
  Object pollStrictly() {
    return queue.poll();
  }

  /**
   * Parks the consumer until {@code deadlineNanos} (a {@link System#nanoTime} value), an offer, a
   * stop, or a spurious wake-up, whichever comes first. Returns at once if there is work.
   */
  void sleepUntil(long deadlineNanos) {
    sleeping = true;
    try {
      if (queue.isEmpty() && !otherWork.getAsBoolean()) {
        long wait = deadlineNanos - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(this, wait);
        }
      }
    } finally {
      sleeping = false;
    }
  }
}
