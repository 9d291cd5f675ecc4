package io.raftdb.server.resp;

import io.netty.util.concurrent.EventExecutor;
import io.raftdb.kv.BatchResult;
import io.raftdb.kv.KvError;
import io.raftdb.kv.KvCommand;
import io.raftdb.kv.KvQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Joins the store runs that one event loop's connections start in one pass over their sockets
 * into one batch: the writes of 64 connections that each send one {@code SET} become one log
 * entry, their reads one linearizable read. A batch goes when the loop has read every socket
 * that was ready (the flush is a task, and the loop runs its tasks after its I/O), or sooner when
 * it is full. Each run gets its share of the batch's outcomes on the loop.
 *
 * <p>Confined to its event loop, like the connections it serves.
 */
final class StoreBatcher {
  /** The most requests in one batch (one larger run still goes alone). */
  static final int MAX_REQUESTS = 4096;
  /** The most argument bytes in one batch (one larger run still goes alone). */
  static final int MAX_BYTES = 1 << 20;

  /** A run's share of a batch: the batch's outcomes and where the run's begin. */
  record Share(BatchResult batch, int offset) {}

  private final Gatherer<KvCommand<?>> writes;
  private final Gatherer<KvQuery<?>> reads;

  StoreBatcher(EventExecutor loop, KvBackend backend, RespStats stats) {
    writes = new Gatherer<>(loop, backend::write, stats.writeBatches, false);
    reads = new Gatherer<>(loop, backend::read, stats.readBatches, true);
  }

  /** Applies {@code commands} in order, in the next write batch. */
  CompletableFuture<Share> write(List<KvCommand<?>> commands, int bytes) {
    return writes.add(new Run<>(commands, bytes, new CompletableFuture<>()));
  }

  /** Runs {@code queries} in the next linearizable read batch, all from one state of the store. */
  CompletableFuture<Share> read(List<KvQuery<?>> queries, int bytes) {
    return reads.add(new Run<>(queries, bytes, new CompletableFuture<>()));
  }

  private record Run<R>(List<R> requests, int bytes, CompletableFuture<Share> share) {}

  private static final class Gatherer<R> {
    private final EventExecutor loop;
    private final Function<List<R>, CompletableFuture<BatchResult>> send;
    private final LongAdder sentCount;
    private final boolean askAgainPastTheAnswerBudget;
    private List<Run<R>> runs = new ArrayList<>();
    private int requests;
    private int bytes;
    private boolean flushScheduled;

    /**
     * @param askAgainPastTheAnswerBudget whether a run that the store did not answer because the
     *     batch's answers before it were too large goes in the next batch (for reads: one run's
     *     large answers must not fail another connection's)
     */
    Gatherer(EventExecutor loop, Function<List<R>, CompletableFuture<BatchResult>> send,
        LongAdder sentCount, boolean askAgainPastTheAnswerBudget) {
      this.loop = loop;
      this.send = send;
      this.sentCount = sentCount;
      this.askAgainPastTheAnswerBudget = askAgainPastTheAnswerBudget;
    }

    CompletableFuture<Share> add(Run<R> run) {
      if (!runs.isEmpty() && (requests + run.requests().size() > MAX_REQUESTS
          || bytes + run.bytes() > MAX_BYTES)) {
        flush();
      }
      runs.add(run);
      requests += run.requests().size();
      bytes += run.bytes();
      if (!flushScheduled) {
        flushScheduled = true;
        loop.execute(() -> {
          flushScheduled = false;
          flush();
        });
      }
      return run.share();
    }

    private void flush() {
      if (runs.isEmpty()) {
        return;
      }
      List<Run<R>> sent = runs;
      List<R> batch = new ArrayList<>(requests);
      sent.forEach(run -> batch.addAll(run.requests()));
      runs = new ArrayList<>();
      requests = 0;
      bytes = 0;
      sentCount.increment();
      CompletableFuture<BatchResult> outcomes;
      try {
        outcomes = send.apply(batch);
      } catch (RuntimeException e) {
        outcomes = CompletableFuture.failedFuture(e);
      }
      outcomes.whenComplete((result, failure) -> loop.execute(() -> {
        int offset = 0;
        for (int i = 0; i < sent.size(); i++) {
          Run<R> run = sent.get(i);
          if (failure != null) {
            run.share().completeExceptionally(failure);
          } else if (i > 0 && askAgainPastTheAnswerBudget
              && pastTheAnswerBudget(result, offset, run.requests().size())) {
            add(run); // the first run of a batch is always answered: each is, in its turn
          } else {
            run.share().complete(new Share(result, offset));
          }
          offset += run.requests().size();
        }
      }));
    }
  }

  /**
   * Whether the store left any of {@code count} requests from {@code from} unanswered because
   * the batch's answers before them passed its budget ({@link KvError#ANSWERS_TOO_LARGE}).
   */
  static boolean pastTheAnswerBudget(BatchResult result, int from, int count) {
    for (int i = from; i < from + count; i++) {
      if (result.error(i).equals(Optional.of(KvError.ANSWERS_TOO_LARGE))) {
        return true;
      }
    }
    return false;
  }
}
