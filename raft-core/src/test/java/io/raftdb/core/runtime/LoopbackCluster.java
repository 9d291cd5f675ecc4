package io.raftdb.core.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.NodeId;
import io.raftdb.NodeStatus;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import io.raftdb.storage.LogStorage;

/**
 * A group of nodes on a {@link LoopbackNetwork} with in-memory storage and counter state
 * machines, built through {@link RaftNode#builder()} (and so through the ServiceLoader provider).
 */
final class LoopbackCluster implements AutoCloseable {
  /** Fast timing for tests: 2 ms ticks, 20 ms heartbeats, elections after 200–400 ms. */
  static final RaftConfig FAST = RaftConfig.defaults()
      .withTickInterval(Duration.ofMillis(2))
      .withHeartbeatInterval(Duration.ofMillis(20))
      .withElectionTimeout(Duration.ofMillis(200));
  /** Generous: the machine is shared with other builds. */
  static final Duration WAIT = Duration.ofSeconds(30);

  final LoopbackNetwork network = new LoopbackNetwork();
  final List<NodeId> ids = new ArrayList<>();
  final Map<NodeId, RaftNode> nodes = new LinkedHashMap<>();
  final Map<NodeId, CounterStateMachine> machines = new LinkedHashMap<>();
  final Map<NodeId, MemoryLogStorage> logs = new LinkedHashMap<>();
  final Map<NodeId, LoopbackNetwork.LoopbackTransport> transports = new LinkedHashMap<>();

  static LoopbackCluster start(int size, RaftConfig config) {
    return start(size, config, log -> log);
  }

  /** A group whose nodes' logs are each wrapped by {@code wrap} (to inject faults). */
  static LoopbackCluster start(int size, RaftConfig config, UnaryOperator<LogStorage> wrap) {
    LoopbackCluster c = build(size, config, wrap);
    c.nodes.values().forEach(RaftNode::start);
    return c;
  }

  /** A group built but not started (to attach listeners first). */
  static LoopbackCluster build(int size, RaftConfig config, UnaryOperator<LogStorage> wrap) {
    LoopbackCluster c = new LoopbackCluster();
    for (int i = 1; i <= size; i++) {
      c.ids.add(NodeId.of("n" + i));
    }
    for (NodeId id : c.ids) {
      CounterStateMachine machine = new CounterStateMachine();
      MemoryLogStorage log = new MemoryLogStorage();
      LoopbackNetwork.LoopbackTransport transport = c.network.transport(id);
      c.machines.put(id, machine);
      c.logs.put(id, log);
      c.transports.put(id, transport);
      c.nodes.put(id, RaftNode.builder().id(id).members(c.ids).stateMachine(machine)
          .transport(transport).logStorage(wrap.apply(log)).metaStorage(new MemoryMetaStorage())
          .config(config).build());
    }
    return c;
  }

  RaftNode node(NodeId id) {
    return nodes.get(id);
  }

  /** Waits until one node leads and every other running node follows it; returns it. */
  RaftNode awaitLeader() {
    RaftNode[] leader = new RaftNode[1];
    await(() -> {
      for (RaftNode n : nodes.values()) {
        NodeStatus s = n.status();
        if (s.isLeader() && nodes.values().stream()
            .allMatch(o -> o.status().leader().equals(s.leader()))) {
          leader[0] = n;
          return true;
        }
      }
      return false;
    }, "a leader known to every node");
    return leader[0];
  }

  /** The nodes other than {@code node}. */
  List<RaftNode> others(RaftNode node) {
    List<RaftNode> out = new ArrayList<>(nodes.values());
    out.remove(node);
    return out;
  }

  /** Polls {@code condition} every few milliseconds; fails the test after {@link #WAIT}. */
  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("gave up waiting for " + what + " after " + WAIT);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting for " + what);
      }
    }
  }

  /** Waits until the node's threads have ended. */
  static void awaitThreadsEnded(RaftNode node) {
    List<Thread> threads = ((EventLoopRaftNode) node).threads();
    await(() -> threads.stream().noneMatch(Thread::isAlive), "the threads of " + node.id()
        + " to end");
  }

  @Override
  public void close() {
    for (RaftNode n : nodes.values()) {
      n.close();
    }
  }
}
