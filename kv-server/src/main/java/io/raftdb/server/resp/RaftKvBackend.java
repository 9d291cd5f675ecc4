package io.raftdb.server.resp;

import io.raftdb.CommandDroppedException;
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

/**
 * The store as one node's RESP front end reaches it. On the leader a write batch is proposed to
 * the node itself: nothing retries it, so it needs no session; if the node turns out not to lead
 * (refused, or overwritten by a new leader before it committed: certainly not applied), or on a
 * follower, the batch goes through a {@link RaftClient} session to whichever member leads (the
 * client finds it, retries across elections, and its session applies a retried batch once).
 * Reads are served by this node: a linearizable read on
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
    byte[] encoded = codec.encode(batch);
    CompletableFuture<byte[]> applied = node.status().isLeader()
        ? node.submit(encoded).exceptionallyCompose(failure -> certainlyNotApplied(failure)
            ? client.submit(encoded)
            : CompletableFuture.failedFuture(failure))
        : client.submit(encoded);
    return applied.thenApply(result -> codec.decodeResult(batch, result));
  }

  /** Refusals after which sending the batch again cannot apply it twice. */
  private static boolean certainlyNotApplied(Throwable failure) {
    Throwable cause = RespFailures.cause(failure);
    return cause instanceof NotLeaderException || cause instanceof CommandDroppedException;
  }

  @Override
  public CompletableFuture<BatchResult> read(List<KvQuery<?>> queries) {
    KvQuery.Batch batch = KvQuery.batch(queries);
    byte[] encoded = codec.encode(batch);
    return node.query(encoded, ReadConsistency.LINEARIZABLE)
        .exceptionallyCompose(failure -> RespFailures.cause(failure) instanceof NotLeaderException
            ? client.query(encoded, ReadConsistency.LINEARIZABLE)
            : CompletableFuture.failedFuture(failure))
        .thenApply(result -> codec.decodeResult(batch, result));
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
