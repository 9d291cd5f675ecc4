package io.raftdb.sim.client;

import io.raftdb.NodeId;
import io.raftdb.RaftClient;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import io.raftdb.core.storage.snapshot.MemorySnapshotStorage;
import io.raftdb.sim.SimNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Three real nodes on memory storage and a {@link SimNetwork}, and the clients that talk to them
 * through it. Nodes can be crashed (their memory storage survives, as a disk would) and
 * restarted. Closes everything it made.
 */
final class ClientGroup implements AutoCloseable {
  static final Duration ELECTION_TIMEOUT = Duration.ofMillis(300);
  final List<NodeId> ids = List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
  final SimNetwork network = new SimNetwork();
  final RaftConfig config;
  private final RaftNode[] nodes = new RaftNode[3];
  final JournalMachine[] machines = new JournalMachine[3];
  private final MemoryLogStorage[] logs = new MemoryLogStorage[3];
  private final MemoryMetaStorage[] metas = new MemoryMetaStorage[3];
  private final MemorySnapshotStorage[] snapshots = new MemorySnapshotStorage[3];
  private final List<RaftClient> clients = new ArrayList<>();

  ClientGroup(RaftConfig config) {
    this.config = config;
    for (int i = 0; i < 3; i++) {
      logs[i] = new MemoryLogStorage();
      metas[i] = new MemoryMetaStorage();
      snapshots[i] = new MemorySnapshotStorage();
      start(i);
    }
  }

  ClientGroup() {
    this(RaftConfig.defaults().withElectionTimeout(ELECTION_TIMEOUT)
        .withHeartbeatInterval(Duration.ofMillis(50)));
  }

  /** Starts node {@code i} on its storage, with a fresh state machine (restored from it). */
  void start(int i) {
    machines[i] = new JournalMachine();
    nodes[i] = RaftNode.builder().id(ids.get(i)).members(ids).stateMachine(machines[i])
        .transport(network.transport(ids.get(i))).logStorage(logs[i]).metaStorage(metas[i])
        .snapshotStorage(snapshots[i]).config(config).build().start();
  }

  /** Stops node {@code i}; its storage keeps what it synced. */
  void crash(int i) {
    nodes[i].close();
  }

  RaftNode node(int i) {
    return nodes[i];
  }

  /** Waits for a leader and returns its index. */
  int awaitLeader() {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() - end < 0) {
      for (int i = 0; i < 3; i++) {
        if (nodes[i].status().isRunning() && nodes[i].status().isLeader()) {
          return i;
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    throw new AssertionError("no leader within 30 s");
  }

  RaftClient client(Duration callTimeout) {
    return client(callTimeout, Duration.ofSeconds(10));
  }

  RaftClient client(Duration callTimeout, Duration keepAlive) {
    NodeId id = NodeId.of("client-" + clients.size());
    RaftClient c = RaftClient.builder().id(id).members(ids).transport(network.transport(id))
        .callTimeout(callTimeout).attemptTimeout(Duration.ofMillis(200))
        .keepAliveInterval(keepAlive).build();
    clients.add(c);
    return c;
  }

  Optional<Integer> running(int i) {
    return nodes[i].status().isRunning() ? Optional.of(i) : Optional.empty();
  }

  @Override
  public void close() {
    clients.forEach(RaftClient::close);
    for (RaftNode n : nodes) {
      if (n != null) {
        n.close();
      }
    }
    network.close();
  }
}
