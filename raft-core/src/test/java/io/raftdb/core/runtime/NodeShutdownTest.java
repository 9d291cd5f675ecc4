package io.raftdb.core.runtime;

import static io.raftdb.core.runtime.CounterStateMachine.POISON;
import static io.raftdb.core.runtime.CounterStateMachine.encode;
import static io.raftdb.core.runtime.Futures.failureOf;
import static io.raftdb.core.runtime.Futures.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeClosedException;
import io.raftdb.NodeId;
import io.raftdb.Proposal;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.storage.StorageException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a node stops: closed by its owner, or by itself on a storage or state machine failure. */
@Timeout(120)
class NodeShutdownTest {
  private LoopbackCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void closeFailsPendingCommandsAndReadsWithNodeClosedException() {
    // Without check-quorum the cut-off leader keeps leading, so its work stays pending.
    cluster = LoopbackCluster.start(3, LoopbackCluster.FAST.withCheckQuorum(false));
    RaftNode leader = cluster.awaitLeader();
    cluster.network.isolate(leader.id());
    Proposal p = leader.propose(encode(1));
    valueOf(p.position());
    CompletableFuture<byte[]> read = leader.query(new byte[0], ReadConsistency.LINEARIZABLE);
    assertFalse(p.result().isDone());

    leader.close();

    assertInstanceOf(NodeClosedException.class, failureOf(p.result()));
    assertInstanceOf(NodeClosedException.class, failureOf(read));
    LoopbackCluster.awaitThreadsEnded(leader);
    assertTrue(cluster.transports.get(leader.id()).isClosed());
    assertFalse(leader.status().isLeader());
  }

  @Test
  void everyOperationAfterCloseFailsWithNodeClosedException() {
    cluster = LoopbackCluster.start(1, LoopbackCluster.FAST);
    RaftNode node = cluster.awaitLeader();
    node.close();
    node.close(); // idempotent
    assertInstanceOf(NodeClosedException.class, failureOf(node.submit(encode(1))));
    assertInstanceOf(NodeClosedException.class,
        failureOf(node.query(new byte[0], ReadConsistency.STALE)));
    assertInstanceOf(NodeClosedException.class,
        failureOf(node.transferLeadership(NodeId.of("n1"))));
  }

  @Test
  void closeFromACallbackOnTheApplyThreadStopsTheNode() {
    cluster = LoopbackCluster.start(1, LoopbackCluster.FAST);
    RaftNode node = cluster.awaitLeader();
    CounterStateMachine machine = cluster.machines.get(node.id());
    machine.hold(); // so that the callback is attached before the command completes
    CompletableFuture<String> closedOn = node.submit(encode(1)).thenApply(r -> {
      node.close();
      return Thread.currentThread().getName();
    });
    machine.release();
    assertEquals("raft-apply-n1", valueOf(closedOn));
    LoopbackCluster.awaitThreadsEnded(node);
    assertInstanceOf(NodeClosedException.class, failureOf(node.submit(encode(1))));
  }

  @Test
  void aStateMachineThatThrowsStopsTheNode() {
    cluster = LoopbackCluster.start(1, LoopbackCluster.FAST);
    RaftNode node = cluster.awaitLeader();
    valueOf(node.submit(encode(1)));

    Throwable failure = failureOf(node.submit(encode(POISON)));

    assertInstanceOf(NodeClosedException.class, failure);
    assertInstanceOf(IllegalStateException.class, failure.getCause());
    LoopbackCluster.awaitThreadsEnded(node);
    assertInstanceOf(NodeClosedException.class, failureOf(node.submit(encode(1))));
    assertFalse(node.status().isLeader());
  }

  @Test
  void aStorageFailureStopsTheNodeAndFailsItsCommands() {
    cluster = LoopbackCluster.start(1, LoopbackCluster.FAST);
    RaftNode node = cluster.awaitLeader();
    valueOf(node.submit(encode(1)));
    StorageException diskFull = new StorageException("disk full");
    cluster.logs.get(node.id()).injectFailure(diskFull);

    Throwable failure = failureOf(node.submit(encode(2)));

    assertInstanceOf(NodeClosedException.class, failure);
    assertSame(diskFull, failure.getCause());
    LoopbackCluster.awaitThreadsEnded(node);
    assertEquals(1, cluster.machines.get(node.id()).appliedCount());
  }
}
