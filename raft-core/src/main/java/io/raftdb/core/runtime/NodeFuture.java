package io.raftdb.core.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A future that only the node completes. Callers get it from {@code propose}, {@code query} and
 * {@code transferLeadership}; a caller that completed or cancelled it would make the node's own
 * completion a no-op and report an outcome that never happened, so those methods throw
 * {@link UnsupportedOperationException}. Dependent stages ({@code thenApply} and so on) are
 * ordinary futures, and {@link #orTimeout} / {@link #completeOnTimeout} return a timed copy
 * instead of completing this one.
 */
final class NodeFuture<T> extends CompletableFuture<T> {

  /** Completes the future with {@code value}; false if it was already complete. */
  boolean settle(T value) {
    return super.complete(value);
  }

  /** Completes the future with {@code cause}; false if it was already complete. */
  boolean settleExceptionally(Throwable cause) {
    return super.completeExceptionally(cause);
  }

  @Override
  public boolean complete(T value) {
    throw refused();
  }

  @Override
  public boolean completeExceptionally(Throwable cause) {
    throw refused();
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    throw refused();
  }

  @Override
  public void obtrudeValue(T value) {
    throw refused();
  }

  @Override
  public void obtrudeException(Throwable cause) {
    throw refused();
  }

  @Override
  public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
    throw refused();
  }

  @Override
  public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
    throw refused();
  }

  @Override
  public CompletableFuture<T> orTimeout(long timeout, TimeUnit unit) {
    return copy().orTimeout(timeout, unit);
  }

  @Override
  public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
    return copy().completeOnTimeout(value, timeout, unit);
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }

  private static UnsupportedOperationException refused() {
    return new UnsupportedOperationException("only the RaftDB node completes this future; "
        + "use copy() or a dependent stage for a future of your own");
  }
}
