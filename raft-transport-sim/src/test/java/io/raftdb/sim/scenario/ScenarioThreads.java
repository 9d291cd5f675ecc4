package io.raftdb.sim.scenario;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The threads a scenario starts to play the labs' goroutines (concurrent {@code Start}s, client
 * loops). A failure in any of them is kept and rethrown by {@link #joinAll}, so that it fails the
 * test; {@link #close()} interrupts and joins whatever still runs, so no thread outlives a test.
 *
 * <p>Used by the test thread only; the started threads only report failures.
 */
final class ScenarioThreads implements AutoCloseable {
  private final String name;
  private final List<Thread> threads = new ArrayList<>();
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

  ScenarioThreads(String name) {
    this.name = name;
  }

  /** Starts {@code body} on a new daemon thread. */
  void start(Runnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable e) {
        failures.add(e);
      }
    }, "scenario-" + name + "-" + threads.size());
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  /**
   * Waits for every thread to end, then rethrows the first failure. Fails if a thread is still
   * running after {@code timeout}.
   */
  void joinAll(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while joining " + t.getName(), e);
      }
      if (t.isAlive()) {
        fail(t.getName() + " did not finish within " + timeout);
      }
    }
    threads.clear();
    Throwable first = failures.poll();
    if (first instanceof Error error) {
      throw error;
    }
    if (first != null) {
      throw new AssertionError(first);
    }
  }

  /** Interrupts and briefly joins threads still running. */
  @Override
  public void close() {
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    threads.clear();
  }
}
