package io.raftdb.core.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting on futures in tests, with the generous bound of {@link LoopbackCluster#WAIT}. */
final class Futures {
  private Futures() {}

  /** The future's value; fails the test if it fails or takes too long. */
  static <T> T valueOf(CompletableFuture<T> future) {
    try {
      return future.get(LoopbackCluster.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("future did not complete within " + LoopbackCluster.WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /** Why the future failed; fails the test if it succeeds or takes too long. */
  static Throwable failureOf(CompletableFuture<?> future) {
    try {
      Object value = future.get(LoopbackCluster.WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return fail("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      return fail("future did not complete within " + LoopbackCluster.WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    }
  }
}
