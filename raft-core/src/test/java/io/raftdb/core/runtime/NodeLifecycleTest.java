package io.raftdb.core.runtime;

import static io.raftdb.core.runtime.CounterStateMachine.encode;
import static io.raftdb.core.runtime.Futures.failureOf;
import static io.raftdb.core.runtime.Futures.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeClosedException;
import io.raftdb.NodeId;
import io.raftdb.NodeListener;
import io.raftdb.NodeState;
import io.raftdb.NodeStatus;
import io.raftdb.RaftNode;
import io.raftdb.StateMachine;
import io.raftdb.core.storage.ForwardingLogStorage;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import io.raftdb.message.LogEntry;
import io.raftdb.storage.StorageException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A node's life: built, started, stopped by its owner or by a failure, and what it says then. */
@Timeout(120)
class NodeLifecycleTest {
  private static final NodeId ID = NodeId.of("n1");

  @Test
  void aBuiltNodeTakesNoRequestsUntilItIsStarted() {
    try (RaftNode node = build(new MemoryLogStorage())) {
      assertEquals(NodeState.STARTING, node.status().state());
      assertInstanceOf(IllegalStateException.class, failureOf(node.submit(encode(1))));
      assertInstanceOf(IllegalStateException.class,
          failureOf(node.query(new byte[0], io.raftdb.ReadConsistency.STALE)));

      node.start();
      LoopbackCluster.await(() -> node.status().isLeader(), "the node to lead");
      assertEquals(NodeState.RUNNING, node.status().state());
      assertEquals(1, CounterStateMachine.decode(valueOf(node.submit(encode(1)))));
      assertThrows(IllegalStateException.class, node::start);
    }
  }

  @Test
  void aNodeClosedBeforeItStartedReleasesEverythingAndTerminates() {
    RaftNode node = build(new MemoryLogStorage());
    node.close();
    assertEquals(NodeState.STOPPED, node.status().state());
    assertEquals(Optional.empty(), node.status().stopCause());
    valueOf(node.terminated());
    assertThrows(IllegalStateException.class, node::start);
    assertInstanceOf(NodeClosedException.class, failureOf(node.submit(encode(1))));
  }

  @Test
  void aClosedNodeSaysSoAndItsListenersHearIt() throws Exception {
    RaftNode node = build(new MemoryLogStorage());
    CompletableFuture<Optional<Throwable>> heard = stopHeardBy(node);
    node.start();
    LoopbackCluster.await(() -> node.status().isLeader(), "the node to lead");
    node.close();
    valueOf(node.terminated());
    NodeStatus s = node.status();
    assertEquals(NodeState.STOPPED, s.state());
    assertEquals(Optional.empty(), s.stopCause());
    assertEquals(Optional.empty(), heard.get(30, TimeUnit.SECONDS));
  }

  @Test
  void aNodeWhoseDiskFailsReportsStoppedWithTheCause() throws Exception {
    FailingLog log = new FailingLog();
    RaftNode node = build(log);
    CompletableFuture<Optional<Throwable>> heard = stopHeardBy(node);
    node.start();
    LoopbackCluster.await(() -> node.status().isLeader(), "the node to lead");
    log.failing = true;
    Throwable failure = failureOf(node.submit(encode(1)));
    assertInstanceOf(NodeClosedException.class, failure);

    ExecutionException terminated = assertThrows(ExecutionException.class,
        () -> node.terminated().get(30, TimeUnit.SECONDS));
    assertInstanceOf(StorageException.class, terminated.getCause());
    NodeStatus s = node.status();
    assertEquals(NodeState.STOPPED, s.state());
    assertTrue(s.stopCause().orElseThrow() instanceof StorageException, s.toString());
    assertTrue(heard.get(30, TimeUnit.SECONDS).orElseThrow() instanceof StorageException);
    node.close();
  }

  @Test
  void callersCannotCompleteTheNodesFutures() {
    try (RaftNode node = build(new MemoryLogStorage()).start()) {
      LoopbackCluster.await(() -> node.status().isLeader(), "the node to lead");
      CompletableFuture<byte[]> result = node.submit(encode(5));
      assertThrows(UnsupportedOperationException.class, () -> result.complete(new byte[8]));
      assertThrows(UnsupportedOperationException.class, () -> result.cancel(true));
      assertThrows(UnsupportedOperationException.class,
          () -> node.propose(encode(1)).position().completeExceptionally(new Exception()));
      assertEquals(5, CounterStateMachine.decode(valueOf(result)));
      // A timed or dependent copy is the caller's own.
      assertEquals(6, CounterStateMachine.decode(
          valueOf(node.submit(encode(0)).orTimeout(30, TimeUnit.SECONDS))));
    }
  }

  @Test
  void aStateMachineThatCapturesSnapshotsButCannotRestoreThemIsRefusedAtBuild() {
    StateMachine halfDone = new CounterStateMachine() {
      @Override
      public SnapshotWriter captureSnapshot() {
        return out -> out.write(1);
      }
    };
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RaftNode.builder().id(ID).members(List.of(ID)).stateMachine(halfDone)
            .transport(new LoopbackNetwork().transport(ID)).logStorage(new MemoryLogStorage())
            .metaStorage(new MemoryMetaStorage()).build());
    assertTrue(e.getMessage().contains("restoreSnapshot"), e.getMessage());
  }

  /** Completes with the cause a listener on {@code node} hears when it stops. */
  private static CompletableFuture<Optional<Throwable>> stopHeardBy(RaftNode node) {
    CompletableFuture<Optional<Throwable>> heard = new CompletableFuture<>();
    node.addListener(new NodeListener() {
      @Override
      public void stopped(Optional<Throwable> cause) {
        heard.complete(cause);
      }
    });
    return heard;
  }

  private static RaftNode build(io.raftdb.storage.LogStorage log) {
    return RaftNode.builder().id(ID).members(List.of(ID)).stateMachine(new CounterStateMachine())
        .transport(new LoopbackNetwork().transport(ID)).logStorage(log)
        .metaStorage(new MemoryMetaStorage()).config(LoopbackCluster.FAST).build();
  }

  /** A log whose writes fail once told to, as a dying disk's would. */
  private static final class FailingLog extends ForwardingLogStorage {
    volatile boolean failing;

    FailingLog() {
      super(new MemoryLogStorage());
    }

    @Override
    public void append(List<LogEntry> entries) {
      if (failing) {
        throw new StorageException("injected: the disk is gone");
      }
      super.append(entries);
    }
  }
}
