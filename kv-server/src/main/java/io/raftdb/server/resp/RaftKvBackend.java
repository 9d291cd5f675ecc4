package io.raftdb.server.resp;

import io.raftdb.NodeStatus;
import io.raftdb.NotLeaderException;
import io.raftdb.RaftClient;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.kv.BatchResult;
import io.raftdb.kv.KvCodec;
import io.raftdb.kv.KvCommand;
import io.raftdb.kv.KvQuery;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The store as one node's RESP front end reaches it. Writes go through a {@link RaftClient}
 * session to whichever member leads (the client finds it, retries across elections, and its
 * session applies a retried batch once). Reads are served by this node: a linearizable read on
 * a follower asks the leader for its read index and waits to apply that far; while this node
 * knows no leader, the read goes through the client, which finds one.
 */
final class RaftKvBackend implements KvBackend {
  private final RaftNode node;
  private final RaftClient client;
  private final KvCodec codec;

  RaftKvBackend(RaftNode node, RaftClient client, KvCodec codec) {
    this.node = node;
    this.client = client;
    this.codec = codec;
  }

  @Override
  public CompletableFuture<BatchResult> write(List<KvCommand<?>> commands) {
    KvCommand.Batch batch = KvCommand.batch(commands);
    byte[] encoded;
    try {
      encoded = codec.encode(batch);
    } catch (IllegalArgumentException tooLarge) {
      return CompletableFuture.failedFuture(tooLarge);
    }
    return client.submit(encoded).thenApply(result -> codec.decodeResult(batch, result));
  }

  @Override
  public CompletableFuture<BatchResult> read(List<KvQuery<?>> queries) {
    KvQuery.Batch batch = KvQuery.batch(queries);
    byte[] encoded;
    try {
      encoded = codec.encode(batch);
    } catch (IllegalArgumentException tooLarge) {
      return CompletableFuture.failedFuture(tooLarge);
    }
    return node.query(encoded, ReadConsistency.LINEARIZABLE)
        .exceptionallyCompose(failure -> unwrap(failure) instanceof NotLeaderException
            ? client.query(encoded, ReadConsistency.LINEARIZABLE)
            : CompletableFuture.failedFuture(failure))
        .thenApply(result -> codec.decodeResult(batch, result));
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  @Override
  public NodeStatus status() {
    return node.status();
  }

  @Override
  public void close() {
    client.close();
  }
}
