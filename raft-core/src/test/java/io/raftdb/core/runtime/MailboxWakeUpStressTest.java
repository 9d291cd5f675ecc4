package io.raftdb.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscChunkedArrayQueue;
import org.jctools.queues.SpscUnboundedArrayQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wake-up hand-shake of {@link Mailbox} under stress: millions of single hand-offs, each
 * offered just as the consumer is about to park (the consumer parks whenever its queue is empty,
 * and the producer offers right after seeing the previous item taken, with a random jitter of a
 * few nanoseconds that sweeps the window between "announce sleep" and "look at the queue once
 * more").
 *
 * <p>A lost wake-up shows as a hand-off that waits for the consumer's idle safety net. The test's
 * safety net is long ({@value #SAFETY_NET_SECONDS} s), so that a lost wake-up cannot be confused
 * with a slow, loaded machine: a hand-off counts as lost only if it waits more than
 * {@value #LOST_AFTER_SECONDS} s, which scheduling noise does not reach, while a working wake-up
 * takes microseconds. The run stops at the first lost hand-off, after its hand-offs, or after
 * {@value #BUDGET_SECONDS} s, whichever comes first.
 *
 * <p>Without a full fence between the producer's offer and its read of the sleep flag, the SPSC
 * case lost about one hand-off per million on the development machine (x86: the ordered store
 * that publishes the item waits in the store buffer while the flag is read).
 */
@Timeout(180)
class MailboxWakeUpStressTest {
  private static final long BUDGET_SECONDS = 60;
  private static final long SAFETY_NET_SECONDS = 10;
  private static final long LOST_AFTER_SECONDS = 5;

  @Test
  void noSingleProducerHandOffWaitsForTheIdleSafetyNet() throws InterruptedException {
    // The apply thread's queue: an SPSC queue publishes with an ordered store only.
    assertEquals(0, lostHandOffs(new SpscUnboundedArrayQueue<>(1024), 6_000_000));
  }

  @Test
  void noMultiProducerHandOffWaitsForTheIdleSafetyNet() throws InterruptedException {
    // The event loop's input queue; its offer is a CAS, so fewer rounds do.
    assertEquals(0, lostHandOffs(new MpscChunkedArrayQueue<>(1024, 1 << 20), 500_000));
  }

  /** Runs the hand-offs; returns how many waited for the safety net (0 or 1: it stops there). */
  private static int lostHandOffs(MessagePassingQueue<Object> queue, int handOffs)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    Mailbox mailbox = new Mailbox(queue, stop::get);
    AtomicLong taken = new AtomicLong();
    Thread consumer = new Thread(() -> {
      while (!stop.get()) {
        Object item = mailbox.poll();
        if (item == null) {
          mailbox.sleepUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFETY_NET_SECONDS));
        } else {
          taken.set((Long) item);
        }
      }
    }, "mailbox-stress-consumer");
    mailbox.bind(consumer);
    consumer.setDaemon(true);
    consumer.start();

    SplittableRandom random = new SplittableRandom(42);
    long lostAfter = TimeUnit.SECONDS.toNanos(LOST_AFTER_SECONDS);
    long budgetEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(BUDGET_SECONDS);
    int lost = 0;
    try {
      for (long i = 1; i <= handOffs && System.nanoTime() - budgetEnd < 0; i++) {
        for (int spin = random.nextInt(8); spin > 0; spin--) {
          Thread.onSpinWait();
        }
        long offered = System.nanoTime();
        mailbox.offer(i);
        int spins = 0;
        while (taken.get() != i) {
          if (++spins < 1_000) {
            Thread.onSpinWait();
          } else {
            Thread.yield(); // two shared cores: let the consumer run
          }
        }
        if (System.nanoTime() - offered > lostAfter) {
          lost++;
          break;
        }
      }
    } finally {
      stop.set(true);
      mailbox.wakeNow();
      consumer.join(TimeUnit.SECONDS.toMillis(SAFETY_NET_SECONDS + 10));
    }
    return lost;
  }
}
