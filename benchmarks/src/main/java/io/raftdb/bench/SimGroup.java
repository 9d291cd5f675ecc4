package io.raftdb.bench;

import io.raftdb.NodeId;
import io.raftdb.NodeStatus;
import io.raftdb.RaftClient;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.RaftNodeBuilder;
import io.raftdb.StateMachine;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import io.raftdb.core.storage.snapshot.MemorySnapshotStorage;
import io.raftdb.sim.SimNetwork;
import io.raftdb.testkit.FreePorts;
import io.raftdb.transport.TransportFactory;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A three-node group in this process on a zero-delay {@link SimNetwork} with in-memory logs:
 * the protocol and runtime with nothing else in the way.
 */
final class SimGroup implements AutoCloseable {
  private final SimNetwork network = new SimNetwork(1);
  private final List<RaftNode> nodes = new ArrayList<>();
  private final List<NodeId> ids = new ArrayList<>();
  private final List<RaftClient> clients = new ArrayList<>();
  private final Map<NodeId, String> addresses = new LinkedHashMap<>();
  private final String transportName;

  /** A group with in-memory logs. */
  SimGroup(int size) {
    this(size, null);
  }

  /**
   * A group whose nodes keep their logs under {@code dataDirectory} (Chronicle Queue with sync),
   * or in memory when it is {@code null}. Every node runs {@code RaftConfig.defaults()}.
   */
  SimGroup(int size, Path dataDirectory) {
    this(size, dataDirectory, DiscardingStateMachine::new, "sim");
  }

  /**
   * A group whose nodes run the state machines that {@code machines} makes, over the transport
   * named {@code transport}: {@code "sim"}, or {@code "tcp"} on free loopback ports.
   */
  SimGroup(int size, Path dataDirectory, Supplier<StateMachine> machines, String transport) {
    this(size, dataDirectory, RaftConfig.defaults(), machines, transport);
  }

  /** As {@link #SimGroup(int, Path, Supplier, String)}, every node with {@code config}. */
  SimGroup(int size, Path dataDirectory, RaftConfig config, Supplier<StateMachine> machines,
      String transport) {
    this.transportName = transport;
    for (int i = 1; i <= size; i++) {
      ids.add(NodeId.of("n" + i));
    }
    for (NodeId id : ids) {
      // (below the ephemeral range: a node connecting to a peer not yet listening could be
      // given that peer's port as its own end, and the peer's bind would fail)
      addresses.put(id, "tcp".equals(transport) ? FreePorts.loopbackAddress() : "bench");
    }
    for (NodeId id : ids) {
      RaftNodeBuilder b = RaftNode.builder()
          .id(id)
          .members(ids)
          .stateMachine(machines.get())
          .transport(TransportFactory.named(transport).create(id, addresses,
              Map.of("sim.network", network)))
          .config(config);
      if (dataDirectory == null) {
        // Snapshots (every RaftConfig.defaults().snapshotThreshold() entries) compact the log, as
        // they would for a user's state machine: the benchmark can run for minutes.
        b.logStorage(new MemoryLogStorage()).metaStorage(new MemoryMetaStorage())
            .snapshotStorage(new MemorySnapshotStorage());
      } else {
        b.dataDirectory(dataDirectory.resolve(id.value()));
      }
      nodes.add(b.build().start());
    }
  }

  /**
   * {@code RaftConfig.defaults()}, changed as the benchmarks' comparison parameters name:
   * {@code log} {@code "chronicle-sync-on-loop"} switches {@link RaftConfig#pipelinedPersistence()}
   * off; {@code apply} {@code "loop"} switches {@link RaftConfig#applyOnEventLoop()} on
   * ({@code "thread"}: the default).
   */
  static RaftConfig config(String log, String apply) {
    if (!"thread".equals(apply) && !"loop".equals(apply)) {
      throw new IllegalArgumentException("apply must be thread or loop, got " + apply);
    }
    return RaftConfig.defaults()
        .withPipelinedPersistence(!"chronicle-sync-on-loop".equals(log))
        .withApplyOnEventLoop("loop".equals(apply));
  }

  /** Waits for a leader that has committed its first entry, and returns it. */
  RaftNode awaitLeader() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (RaftNode n : nodes) {
        NodeStatus s = n.status();
        if (s.isLeader() && s.appliedIndex() > 0) {
          return n;
        }
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("no leader within 30 s");
  }

  /**
   * A {@link RaftClient} on the same network, with room for {@code maxOutstanding} calls; closed
   * with the group.
   */
  RaftClient client(int maxOutstanding) {
    NodeId id = NodeId.of("client-" + clients.size());
    RaftClient client = RaftClient.builder().id(id).members(ids)
        .transport(TransportFactory.named(transportName).create(id, addresses,
            Map.of("sim.network", network)))
        .maxOutstanding(maxOutstanding).build();
    clients.add(client);
    return client;
  }

  @Override
  public void close() {
    clients.forEach(RaftClient::close);
    nodes.forEach(RaftNode::close);
    network.close();
  }

  /**
   * Applies nothing, so that the benchmark measures replication alone; its snapshots are empty,
   * so that the log is compacted as a real state machine's would be.
   */
  static final class DiscardingStateMachine implements StateMachine {
    private static final byte[] EMPTY = new byte[0];

    @Override
    public SnapshotWriter captureSnapshot() {
      return out -> { };
    }

    @Override
    public void restoreSnapshot(InputStream in) {
      // nothing to restore
    }

    @Override
    public byte[] apply(long index, byte[] command) {
      return EMPTY;
    }

    @Override
    public byte[] query(byte[] query) {
      return EMPTY;
    }
  }
}
