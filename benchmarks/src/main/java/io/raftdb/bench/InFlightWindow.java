package io.raftdb.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Keeps at most a fixed number of asynchronous operations outstanding, as a throughput
 * benchmark's caller does: {@link #submit} waits for a free slot, starts the operation and frees
 * the slot when it completes; the first failure is rethrown by the next {@code submit}.
 */
final class InFlightWindow {
  private final int size;
  private final Semaphore slots;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  InFlightWindow(int size) {
    this.size = size;
    this.slots = new Semaphore(size);
  }

  /** Starts one operation once fewer than the window's size are outstanding. */
  void submit(Supplier<? extends CompletableFuture<?>> operation) throws InterruptedException {
    rethrowFailure();
    slots.acquire();
    operation.get().whenComplete((r, e) -> {
      if (e != null) {
        failure.compareAndSet(null, e);
      }
      slots.release();
    });
  }

  /** Waits until every outstanding operation has completed; rethrows the first failure. */
  void drain() throws InterruptedException {
    slots.acquire(size);
    slots.release(size);
    rethrowFailure();
  }

  private void rethrowFailure() {
    Throwable t = failure.get();
    if (t != null) {
      throw new IllegalStateException("an operation failed", t);
    }
  }
}
