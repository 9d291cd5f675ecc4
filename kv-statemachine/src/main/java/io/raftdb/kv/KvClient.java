package io.raftdb.kv;

import io.raftdb.RaftClient;
import io.raftdb.RaftException;
import io.raftdb.ReadConsistency;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The key-value store's typed client, on a {@link RaftClient} (so over any transport, with its
 * leader discovery, retries, deadlines and exactly-once sessions). Each operation comes as a
 * synchronous method and an {@code …Async} one that returns a future.
 *
 * <pre>{@code
 * try (KvClient kv = KvClient.of(RaftClient.builder()....build())) {
 *   kv.put(ByteString.utf8("k"), ByteString.utf8("v"));
 *   Optional<ByteString> v = kv.get(ByteString.utf8("k"));
 * }
 * }</pre>
 *
 * <p>Failures: the store's refusals are {@link KvException}s (the command was not applied); the
 * client's are the {@link RaftClient} outcomes ({@code RequestTimeoutException} and
 * {@code SessionExpiredException} leave a command's fate unknown). The synchronous methods throw
 * them as they are; the futures fail with them. Thread-safe.
 */
public final class KvClient implements AutoCloseable {
  private final RaftClient client;
  private final KvCodec codec;

  private KvClient(RaftClient client, KvCodec codec) {
    this.client = Objects.requireNonNull(client, "client");
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  /** A client for a store with the default {@link KvLimits}; closing it closes {@code client}. */
  public static KvClient of(RaftClient client) {
    return new KvClient(client, new KvCodec());
  }

  /** A client for a store whose state machine enforces {@code limits}. */
  public static KvClient of(RaftClient client, KvLimits limits) {
    return new KvClient(client, new KvCodec(limits));
  }

  /** The client underneath, for its leader, session and other requests. */
  public RaftClient raftClient() {
    return client;
  }

  /**
   * Runs any request: a command through the log (exactly once), a query as a linearizable read.
   *
   * @throws IllegalArgumentException at once if a key or value breaks the limits
   */
  public <R> CompletableFuture<R> executeAsync(KvRequest<R> request) {
    if (request instanceof KvQuery<R> query) {
      return queryAsync(query, ReadConsistency.LINEARIZABLE);
    }
    return client.submit(codec.encode(request)).thenApply(r -> codec.decodeResult(request, r));
  }

  /** Runs a query at the given consistency (a stale read may be served by any member at once). */
  public <R> CompletableFuture<R> queryAsync(KvQuery<R> query, ReadConsistency consistency) {
    return client.query(codec.encode(query), consistency)
        .thenApply(r -> codec.decodeResult(query, r));
  }

  /** Runs any request and waits for its result (see {@link #executeAsync}). */
  public <R> R execute(KvRequest<R> request) {
    return await(executeAsync(request));
  }

  /** Runs a query at the given consistency and waits for its result. */
  public <R> R query(KvQuery<R> query, ReadConsistency consistency) {
    return await(queryAsync(query, consistency));
  }

  /** The value of {@code key}, linearizable; empty if absent. */
  public CompletableFuture<Optional<ByteString>> getAsync(ByteString key) {
    return executeAsync(KvQuery.get(key));
  }

  /** Sets {@code key} to {@code value}; the previous value, if any. */
  public CompletableFuture<Optional<ByteString>> putAsync(ByteString key, ByteString value) {
    return executeAsync(KvCommand.put(key, value));
  }

  /** Appends {@code value} to {@code key}'s value (creating it); the length afterwards. */
  public CompletableFuture<Long> appendAsync(ByteString key, ByteString value) {
    return executeAsync(KvCommand.append(key, value));
  }

  /** Removes {@code key}; the value it had, if any. */
  public CompletableFuture<Optional<ByteString>> deleteAsync(ByteString key) {
    return executeAsync(KvCommand.delete(key));
  }

  /** Sets {@code key} to {@code newValue} if its value is {@code expected}. */
  public CompletableFuture<CasResult> compareAndSetAsync(ByteString key, ByteString expected,
      ByteString newValue) {
    return executeAsync(KvCommand.compareAndSet(key, expected, newValue));
  }

  /** Up to {@code limit} entries from {@code fromInclusive}, in key order, linearizable. */
  public CompletableFuture<ScanPage> scanAsync(ByteString fromInclusive, int limit) {
    return executeAsync(KvQuery.scan(fromInclusive, limit));
  }

  /** Sets {@code key} to {@code value} if {@code condition} holds; the value it had, if any. */
  public CompletableFuture<Optional<ByteString>> putIfAsync(ByteString key, ByteString value,
      PutCondition condition) {
    return executeAsync(KvCommand.putIf(key, value, condition));
  }

  /** Adds {@code delta} to the integer value of {@code key}; the sum. */
  public CompletableFuture<Long> incrementAsync(ByteString key, long delta) {
    return executeAsync(KvCommand.increment(key, delta));
  }

  /** Applies {@code commands} in order as one log entry; each one's outcome. */
  public CompletableFuture<BatchResult> batchAsync(List<KvCommand<?>> commands) {
    return executeAsync(KvCommand.batch(commands));
  }

  /** Runs {@code queries} in one linearizable read; each one's outcome. */
  public CompletableFuture<BatchResult> queryBatchAsync(List<KvQuery<?>> queries) {
    return executeAsync(KvQuery.batch(queries));
  }

  /** One step of a key scan (see {@link KvQuery.ScanKeys}), linearizable. */
  public CompletableFuture<KeyPage> scanKeysAsync(ByteString fromInclusive, int examine,
      Optional<ByteString> pattern) {
    return executeAsync(KvQuery.scanKeys(fromInclusive, examine, pattern));
  }

  /** As {@link #getAsync}, waiting. */
  public Optional<ByteString> get(ByteString key) {
    return await(getAsync(key));
  }

  /** As {@link #putAsync}, waiting. */
  public Optional<ByteString> put(ByteString key, ByteString value) {
    return await(putAsync(key, value));
  }

  /** As {@link #appendAsync}, waiting. */
  public long append(ByteString key, ByteString value) {
    return await(appendAsync(key, value));
  }

  /** As {@link #deleteAsync}, waiting. */
  public Optional<ByteString> delete(ByteString key) {
    return await(deleteAsync(key));
  }

  /** As {@link #compareAndSetAsync}, waiting. */
  public CasResult compareAndSet(ByteString key, ByteString expected, ByteString newValue) {
    return await(compareAndSetAsync(key, expected, newValue));
  }

  /** As {@link #scanAsync}, waiting. */
  public ScanPage scan(ByteString fromInclusive, int limit) {
    return await(scanAsync(fromInclusive, limit));
  }

  /** As {@link #putIfAsync}, waiting. */
  public Optional<ByteString> putIf(ByteString key, ByteString value, PutCondition condition) {
    return await(putIfAsync(key, value, condition));
  }

  /** As {@link #incrementAsync}, waiting. */
  public long increment(ByteString key, long delta) {
    return await(incrementAsync(key, delta));
  }

  /** As {@link #batchAsync}, waiting. */
  public BatchResult batch(List<KvCommand<?>> commands) {
    return await(batchAsync(commands));
  }

  /** As {@link #queryBatchAsync}, waiting. */
  public BatchResult queryBatch(List<KvQuery<?>> queries) {
    return await(queryBatchAsync(queries));
  }

  /** As {@link #scanKeysAsync}, waiting. */
  public KeyPage scanKeys(ByteString fromInclusive, int examine, Optional<ByteString> pattern) {
    return await(scanKeysAsync(fromInclusive, examine, pattern));
  }

  /** The number of keys, linearizable. */
  public long count() {
    return execute(KvQuery.count());
  }

  /** Closes the {@link RaftClient} underneath (ending its session). */
  @Override
  public void close() {
    client.close();
  }

  /**
   * Waits without a timeout of its own (every {@link RaftClient} call has a deadline) and throws
   * the failure itself rather than a wrapper, so callers catch {@link KvException} and the
   * client's exceptions by type.
   */
  private static <R> R await(CompletableFuture<R> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RaftException("interrupted while waiting for the store", e);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    }
  }

  private static RuntimeException unwrap(Throwable cause) {
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    return new RaftException("the store's request failed: " + cause, cause);
  }
}
