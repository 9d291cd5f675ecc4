package io.raftdb.core.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftdb.NodeClosedException;
import io.raftdb.NodeId;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import io.raftdb.core.storage.snapshot.MemorySnapshotStorage;
import io.raftdb.storage.SnapshotInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RaftConfig#applyOnEventLoop()}: each node's event loop is the one thread that calls the
 * state machine (no apply thread is started), and everything the apply thread does is still done:
 * commands applied in log order with their results, reads of every consistency, snapshots by
 * policy and on request, a snapshot installed on a follower that fell behind, and a stop that
 * fails what waits.
 */
@Timeout(120)
class ApplyOnEventLoopTest {
  private static final RaftConfig ON_LOOP = LoopbackCluster.FAST.withApplyOnEventLoop(true);
  private static final long WAIT_SECONDS = 30;

  private LoopbackCluster cluster;
  private final List<RaftNode> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
    nodes.forEach(RaftNode::close);
  }

  /** A started in-memory node with snapshot storage, closed after the test. */
  private RaftNode startSnapshottingNode(NodeId id, List<NodeId> members, LoopbackNetwork network,
      TotalMachine machine, RaftConfig config) {
    RaftNode node = RaftNode.builder().id(id).members(members).stateMachine(machine)
        .transport(network.transport(id)).logStorage(new MemoryLogStorage())
        .metaStorage(new MemoryMetaStorage()).snapshotStorage(new MemorySnapshotStorage())
        .config(config).build().start();
    nodes.add(node);
    return node;
  }

  @Test
  void theEventLoopIsTheOnlyThreadThatAppliesAndEveryNodeAppliesTheSameCommandsInOrder()
      throws Exception {
    cluster = LoopbackCluster.start(3, ON_LOOP);
    RaftNode leader = cluster.awaitLeader();
    List<CompletableFuture<byte[]>> results = new ArrayList<>();
    for (long i = 1; i <= 200; i++) {
      results.add(leader.submit(CounterStateMachine.encode(i)));
    }
    long total = 0;
    for (int i = 0; i < results.size(); i++) {
      total += i + 1;
      assertEquals(total, CounterStateMachine.decode(
          results.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS)), "the result of command " + (i + 1));
    }
    LoopbackCluster.await(() -> cluster.machines.values().stream()
        .allMatch(m -> m.appliedCount() == 200), "every node applied every command");
    List<long[]> expected = cluster.machines.get(leader.id()).applied();
    for (var e : cluster.machines.entrySet()) {
      NodeId id = e.getKey();
      List<Thread> threads = ((EventLoopRaftNode) cluster.node(id)).threads();
      assertEquals(1, threads.size(), "no apply thread on " + id);
      assertEquals(Set.of(threads.get(0).getName()), e.getValue().callingThreads(),
          "the state machine of " + id + " was called by its event loop only");
      List<long[]> applied = e.getValue().applied();
      for (int i = 0; i < expected.size(); i++) {
        assertArrayEquals(expected.get(i), applied.get(i), id + " at its command " + i);
      }
    }
  }

  @Test
  void readsOfEveryConsistencyAreServedOnTheLoop() throws Exception {
    cluster = LoopbackCluster.start(3, ON_LOOP);
    RaftNode leader = cluster.awaitLeader();
    leader.submit(CounterStateMachine.encode(42)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    RaftNode follower = cluster.others(leader).get(0);
    for (ReadConsistency c : ReadConsistency.values()) {
      assertEquals(42, CounterStateMachine.decode(
          leader.query(new byte[0], c).get(WAIT_SECONDS, TimeUnit.SECONDS)), c + " at the leader");
    }
    assertEquals(42, CounterStateMachine.decode(follower.query(new byte[0],
        ReadConsistency.LINEARIZABLE).get(WAIT_SECONDS, TimeUnit.SECONDS)),
        "a linearizable read at a follower");
    LoopbackCluster.await(() -> follower.query(new byte[0], ReadConsistency.STALE)
        .thenApply(CounterStateMachine::decode).join() == 42, "a stale read at the follower");
  }

  /**
   * Snapshots by policy compact the leader's log while a follower is cut off; back, the follower
   * is sent a snapshot, which its event loop loads before it applies the entries after it.
   */
  @Test
  void aFollowerThatFellBehindLoadsTheLeadersSnapshotOnItsLoopAndCatchesUp() throws Exception {
    LoopbackNetwork network = new LoopbackNetwork();
    List<NodeId> ids = List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
    List<TotalMachine> machines = new ArrayList<>();
    for (NodeId id : ids) {
      TotalMachine machine = new TotalMachine();
      machines.add(machine);
      startSnapshottingNode(id, ids, network, machine, ON_LOOP.withSnapshotThreshold(20));
    }
    LoopbackCluster.await(() -> nodes.stream().anyMatch(n -> n.status().isLeader()), "a leader");
    RaftNode leader = nodes.stream().filter(n -> n.status().isLeader()).findFirst().orElseThrow();
    int behind = leader == nodes.get(0) ? 1 : 0;
    network.isolate(ids.get(behind));
    CompletableFuture<byte[]> last = null;
    for (int i = 0; i < 100; i++) {
      last = leader.submit(TotalMachine.encode(1));
    }
    assertEquals(100, TotalMachine.decode(last.get(WAIT_SECONDS, TimeUnit.SECONDS)));
    LoopbackCluster.await(() -> leader.status().firstLogIndex() > 2, "the leader's log compacted");
    network.reconnect(ids.get(behind));
    RaftNode follower = nodes.get(behind);
    LoopbackCluster.await(() -> TotalMachine.decode(follower.query(new byte[0],
        ReadConsistency.STALE).join()) == 100, "the follower caught up");
    assertFalse(machines.get(behind).restoredTotals().isEmpty(),
        "the follower loaded a snapshot");
  }

  @Test
  void aSnapshotAskedForFromAnotherThreadIsTakenAtTheAppliedIndex() throws Exception {
    NodeId id = NodeId.of("n1");
    RaftNode node = startSnapshottingNode(id, List.of(id), new LoopbackNetwork(),
        new TotalMachine(), ON_LOOP);
    LoopbackCluster.await(() -> node.status().isLeader(), "leadership");
    for (int i = 0; i < 5; i++) {
      node.submit(TotalMachine.encode(1)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    SnapshotInfo snapshot = node.takeSnapshot().get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(node.status().appliedIndex(), snapshot.index());
  }

  /** A command still waiting when the node stops fails; the loop thread ends. */
  @Test
  void closingFailsWhatWaitsAndEndsTheLoop() throws Exception {
    cluster = LoopbackCluster.start(3, ON_LOOP);
    RaftNode leader = cluster.awaitLeader();
    cluster.network.isolate(leader.id()); // nothing can commit
    CompletableFuture<byte[]> waiting = leader.submit(CounterStateMachine.encode(1));
    leader.close();
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> waiting.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertInstanceOf(NodeClosedException.class, e.getCause());
    LoopbackCluster.awaitThreadsEnded(leader);
  }
}
