package io.raftdb.core.runtime;

import static io.raftdb.core.runtime.CounterStateMachine.encode;
import static io.raftdb.core.runtime.Futures.failureOf;
import static io.raftdb.core.runtime.Futures.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.CommandTooLargeException;
import io.raftdb.NodeId;
import io.raftdb.OverloadedException;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No input of any size stops a node, and no flood of requests grows a queue without bound: a
 * caller past a limit is refused at once with a typed error.
 */
@Timeout(180)
class LimitsAndBackPressureTest {
  private static final int MIB = 1 << 20;

  @Test
  void aCommandOneByteOverTheLimitIsRefusedAtProposeAndOneAtTheLimitCommits() {
    RaftConfig config = LoopbackCluster.FAST.toBuilder().maxCommandBytes(4096).build();
    try (LoopbackCluster c = LoopbackCluster.start(3, config)) {
      RaftNode leader = c.awaitLeader();
      Throwable refused = failureOf(leader.submit(new byte[4097]));
      CommandTooLargeException e = assertInstanceOf(CommandTooLargeException.class, refused);
      assertEquals(4097, e.size());
      assertEquals(4096, e.limit());
      assertTrue(e.getMessage().contains("maxCommandBytes"), e.getMessage());
      assertInstanceOf(CommandTooLargeException.class,
          failureOf(leader.propose(new byte[4097]).position()));

      byte[] atTheLimit = new byte[4096]; // (a delta of 0 for the counter: its first 8 bytes)
      valueOf(leader.submit(atTheLimit));
      assertEquals(3, c.nodes.values().stream().filter(n -> n.status().isRunning()).count());
    }
  }

  @Test
  void aTwentyMebibyteCommandStopsNoNodeOnMemoryLogs() {
    try (LoopbackCluster c = LoopbackCluster.start(3, LoopbackCluster.FAST)) {
      RaftNode leader = c.awaitLeader();
      assertInstanceOf(CommandTooLargeException.class,
          failureOf(leader.submit(new byte[20 * MIB])));
      assertEquals(1, CounterStateMachine.decode(valueOf(leader.submit(encode(1)))));
      for (RaftNode n : c.nodes.values()) {
        assertTrue(n.status().isRunning(), n.status().toString());
      }
    }
  }

  @Test
  void aTwentyMebibyteCommandStopsNoNodeOnChronicleLogs(@TempDir Path dir) {
    List<NodeId> ids = List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
    LoopbackNetwork network = new LoopbackNetwork();
    List<RaftNode> nodes = new ArrayList<>();
    try {
      for (NodeId id : ids) {
        nodes.add(RaftNode.builder().id(id).members(ids).stateMachine(new CounterStateMachine())
            .transport(network.transport(id)).dataDirectory(dir.resolve(id.value()))
            .config(LoopbackCluster.FAST).build().start());
      }
      LoopbackCluster.await(() -> nodes.stream().anyMatch(n -> n.status().isLeader()),
          "a leader");
      RaftNode leader = nodes.stream().filter(n -> n.status().isLeader()).findFirst()
          .orElseThrow();
      assertInstanceOf(CommandTooLargeException.class,
          failureOf(leader.submit(new byte[20 * MIB])));
      assertEquals(1, CounterStateMachine.decode(valueOf(leader.submit(encode(1)))));
      for (RaftNode n : nodes) {
        assertTrue(n.status().isRunning(), n.status().toString());
      }
    } finally {
      nodes.forEach(RaftNode::close);
    }
  }

  @Test
  void aCommandLimitTheLogCannotHoldIsRefusedWhenTheNodeIsBuilt(@TempDir Path dir) {
    NodeId id = NodeId.of("n1");
    // Chronicle's default 64 MiB blocks hold records of up to 16 MiB.
    RaftConfig tooBig = RaftConfig.builder().maxCommandBytes(32 * MIB).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RaftNode.builder().id(id).members(List.of(id)).stateMachine(new CounterStateMachine())
            .transport(new LoopbackNetwork().transport(id)).dataDirectory(dir).config(tooBig)
            .build());
    assertTrue(e.getMessage().contains("maxCommandBytes"), e.getMessage());
    RaftConfig overTheFrame = RaftConfig.builder().maxCommandBytes(64 * MIB).build();
    assertThrows(IllegalArgumentException.class,
        () -> RaftNode.builder().id(id).members(List.of(id)).stateMachine(new CounterStateMachine())
            .transport(new LoopbackNetwork().transport(id))
            .logStorage(new io.raftdb.core.storage.memory.MemoryLogStorage())
            .metaStorage(new MemoryMetaStorage()).config(overTheFrame).build());
  }

  @Test
  void aFloodOfProposalsAgainstASlowStateMachineIsRefusedAtOnceNotQueued() {
    RaftConfig config = LoopbackCluster.FAST.toBuilder().maxPendingProposals(50).build();
    try (LoopbackCluster c = LoopbackCluster.start(1, config)) {
      RaftNode node = c.awaitLeader();
      CounterStateMachine machine = c.machines.get(node.id());
      machine.hold();
      List<CompletableFuture<byte[]>> admitted =
          admittedOf(10_000, () -> node.submit(encode(1)));
      assertEquals(50, admitted.size(), "exactly the bound is admitted while nothing applies");
      machine.release();
      for (CompletableFuture<byte[]> f : admitted) {
        valueOf(f);
      }
      // Room again once the state machine caught up.
      assertEquals(51, CounterStateMachine.decode(valueOf(node.submit(encode(1)))));
    }
  }

  @Test
  void aFloodOfReadsIsRefusedAtOnceNotQueued() {
    RaftConfig config = LoopbackCluster.FAST.toBuilder().maxPendingReads(20).build();
    try (LoopbackCluster c = LoopbackCluster.start(1, config)) {
      RaftNode node = c.awaitLeader();
      CounterStateMachine machine = c.machines.get(node.id());
      machine.hold();
      long held = valueOf(node.propose(encode(1)).position()).index();
      LoopbackCluster.await(() -> node.status().commitIndex() >= held, "the command to commit");
      // Every read now gets a read index the held state machine has not reached: all wait.
      List<CompletableFuture<byte[]>> admitted =
          admittedOf(1_000, () -> node.query(new byte[0], ReadConsistency.LINEARIZABLE));
      assertEquals(20, admitted.size(), "exactly the bound is admitted while nothing is served");
      machine.release();
      for (CompletableFuture<byte[]> f : admitted) {
        valueOf(f);
      }
    }
  }

  /**
   * Makes {@code n} requests; returns those still pending. Every other one must have been
   * refused at once, with {@link OverloadedException}.
   */
  private static List<CompletableFuture<byte[]>> admittedOf(int n,
      Supplier<CompletableFuture<byte[]>> request) {
    List<CompletableFuture<byte[]>> admitted = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CompletableFuture<byte[]> f = request.get();
      if (f.isCompletedExceptionally()) {
        assertInstanceOf(OverloadedException.class, failureOf(f));
      } else {
        admitted.add(f);
      }
    }
    return admitted;
  }
}
