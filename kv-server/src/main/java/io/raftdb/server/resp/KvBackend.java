package io.raftdb.server.resp;

import io.raftdb.NodeStatus;
import io.raftdb.kv.BatchResult;
import io.raftdb.kv.KvCommand;
import io.raftdb.kv.KvQuery;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The store behind a RESP front end: the node's replicated key-value state machine. A batch of
 * commands is one log entry, so the commands of one batch apply together and in order.
 */
interface KvBackend extends AutoCloseable {
  /**
   * Applies {@code commands}, in order, as one entry of the log.
   *
   * @throws IllegalArgumentException if they encode larger than one entry may be (the
   *     {@link StoreBatcher} answers the runs in such a batch with the error)
   */
  CompletableFuture<BatchResult> write(List<KvCommand<?>> commands);

  /**
   * Runs {@code queries} in one linearizable read.
   *
   * @throws IllegalArgumentException if they encode larger than one request may be
   */
  CompletableFuture<BatchResult> read(List<KvQuery<?>> queries);

  /** What the node knows now (for INFO). */
  NodeStatus status();

  @Override
  void close();
}
