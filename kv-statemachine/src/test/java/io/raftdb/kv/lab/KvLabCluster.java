package io.raftdb.kv.lab;

import io.raftdb.NodeId;
import io.raftdb.RaftClient;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import io.raftdb.core.storage.snapshot.MemorySnapshotStorage;
import io.raftdb.message.LogEntryCodec;
import io.raftdb.message.LogEntry;
import io.raftdb.sim.SimNetwork;
import io.raftdb.storage.SnapshotInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The labs' kvraft {@code config.go} on RaftDB: {@code n} KV servers (real nodes running the KV
 * state machine) and their clerks ({@link RaftClient}s) on one {@link SimNetwork}, with the
 * labs' controls: partitions, clerks connected to chosen servers only, crashing and restarting
 * servers, the size of the persisted Raft state and of the snapshots.
 *
 * <p>Storage is RaftDB's in-memory stores; a crash keeps their durable copies, so a restarted
 * server finds what was synced (and the published snapshots) and nothing more, as the labs'
 * persister copy does. {@code maxraftstate} becomes the snapshot threshold in bytes of applied
 * commands; -1 turns snapshots off (the state machine still supports them, so a snapshot taken
 * anyway would show up in {@link #snapshotSize()}).
 */
final class KvLabCluster implements AutoCloseable {
  static final Duration ELECTION_TIMEOUT = Duration.ofMillis(300);
  static final Duration HEARTBEAT = Duration.ofMillis(50);

  final int n;
  final SimNetwork network = new SimNetwork();
  final List<NodeId> servers = new ArrayList<>();
  private final RaftConfig config;
  private final RaftNode[] nodes;
  private final MemoryLogStorage[] logs;
  private final MemoryMetaStorage[] metas;
  private final MemorySnapshotStorage[] snapshots;
  private final List<RaftClient> clerks = new ArrayList<>();
  private final List<NodeId> clerkIds = new ArrayList<>();
  private int nextClerk;

  KvLabCluster(int n, boolean unreliable, int maxRaftState) {
    this.n = n;
    RaftConfig.Builder b = RaftConfig.defaults().toBuilder().electionTimeout(ELECTION_TIMEOUT)
        .heartbeatInterval(HEARTBEAT);
    if (maxRaftState > 0) {
      b.snapshotThresholdBytes(maxRaftState);
    } else {
      b.snapshotThreshold(Long.MAX_VALUE).snapshotThresholdBytes(Long.MAX_VALUE);
    }
    this.config = b.build();
    nodes = new RaftNode[n];
    logs = new MemoryLogStorage[n];
    metas = new MemoryMetaStorage[n];
    snapshots = new MemorySnapshotStorage[n];
    for (int i = 0; i < n; i++) {
      servers.add(NodeId.of("s" + i));
    }
    for (int i = 0; i < n; i++) {
      logs[i] = new MemoryLogStorage();
      metas[i] = new MemoryMetaStorage();
      snapshots[i] = new MemorySnapshotStorage();
      startServer(i);
    }
    network.setReliable(!unreliable);
  }

  /** Starts server {@code i} on what its storage holds durably. */
  void startServer(int i) {
    nodes[i] = RaftNode.builder().id(servers.get(i)).members(servers)
        .stateMachine(LabKv.newStateMachine()).transport(network.transport(servers.get(i)))
        .logStorage(logs[i]).metaStorage(metas[i]).snapshotStorage(snapshots[i])
        .config(config).build().start();
  }

  /**
   * Stops server {@code i} and keeps only what it synced: its next incarnation gets durable
   * copies, so that the stopped one can change nothing it will read.
   */
  void shutdownServer(int i) {
    network.disconnect(servers.get(i));
    nodes[i].close();
    logs[i] = logs[i].durableCopy();
    metas[i] = metas[i].durableCopy();
    snapshots[i] = snapshots[i].durableCopy();
    network.connect(servers.get(i));
  }

  /** Shuts every server down, waits, and restarts them all (GenericTest's crash step). */
  void crashAndRestartAll() throws InterruptedException {
    for (int i = 0; i < n; i++) {
      shutdownServer(i);
    }
    Thread.sleep(1000);
    for (int i = 0; i < n; i++) {
      startServer(i);
    }
    connectAll();
  }

  /** A new clerk connected to the servers {@code to} only (all of them by default). */
  RaftClient makeClient(Collection<Integer> to) {
    NodeId id = NodeId.of("clerk-" + nextClerk++);
    RaftClient clerk = RaftClient.builder().id(id).members(shuffled())
        .transport(network.transport(id))
        .callTimeout(Duration.ofSeconds(120)).attemptTimeout(Duration.ofMillis(300))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(100)).build();
    clerks.add(clerk);
    clerkIds.add(id);
    connectClient(clerkIds.size() - 1, to);
    return clerk;
  }

  RaftClient makeClient() {
    return makeClient(all());
  }

  /** The servers in a random order, as the labs hand a clerk its ends shuffled. */
  private List<NodeId> shuffled() {
    List<NodeId> s = new ArrayList<>(servers);
    java.util.Collections.shuffle(s);
    return s;
  }

  /** Connects clerk number {@code clerk} to the servers {@code to} and cuts it off the rest. */
  void connectClient(int clerk, Collection<Integer> to) {
    NodeId id = clerkIds.get(clerk);
    for (int i = 0; i < n; i++) {
      boolean on = to.contains(i);
      network.setLink(id, servers.get(i), on);
      network.setLink(servers.get(i), id, on);
    }
  }

  /** The clerk number of a clerk made here. */
  int clerkNumber(RaftClient clerk) {
    return clerks.indexOf(clerk);
  }

  /** Puts the servers of {@code a} and {@code b} on two sides; clerks' links are untouched. */
  void partition(Collection<Integer> a, Collection<Integer> b) {
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        boolean same = a.contains(i) == a.contains(j) && b.contains(i) == b.contains(j);
        network.setLink(servers.get(i), servers.get(j), same);
      }
    }
  }

  /** Heals every partition between servers. */
  void connectAll() {
    partition(all(), Set.of());
  }

  List<Integer> all() {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    return all;
  }

  /** The labs' make_partition: a majority, and a minority that holds the current leader. */
  List<List<Integer>> makePartition() {
    int leader = leader().orElse(0);
    List<Integer> minority = new ArrayList<>(List.of(leader));
    List<Integer> majority = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i == leader) {
        continue;
      }
      if (majority.size() < n / 2 + 1) {
        majority.add(i);
      } else {
        minority.add(i);
      }
    }
    return List.of(majority, minority);
  }

  /** A server that believes it leads, if any. */
  Optional<Integer> leader() {
    for (int i = 0; i < n; i++) {
      if (nodes[i].status().isRunning() && nodes[i].status().isLeader()) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** Waits until some server leads. */
  int awaitLeader() {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() - end < 0) {
      Optional<Integer> l = leader();
      if (l.isPresent()) {
        return l.get();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    throw new AssertionError("no leader within 30 s");
  }

  /**
   * The labs' LogSize(): the largest persisted Raft state over all servers, counting each
   * server's durable log as encoded (the same record format as on disk) plus its term and vote.
   */
  long logSize() {
    long max = 0;
    for (int i = 0; i < n; i++) {
      MemoryLogStorage durable = logs[i].durableCopy();
      try {
        long bytes = 16; // term and vote
        for (LogEntry e : durable.entries(durable.firstIndex(), durable.lastIndex() + 1,
            Long.MAX_VALUE)) {
          bytes += LogEntryCodec.encodedSize(e);
        }
        max = Math.max(max, bytes);
      } finally {
        durable.close();
      }
    }
    return max;
  }

  /** The labs' SnapshotSize(): the largest state in any server's newest durable snapshot. */
  long snapshotSize() {
    long max = 0;
    for (int i = 0; i < n; i++) {
      MemorySnapshotStorage durable = snapshots[i].durableCopy();
      try {
        max = Math.max(max, durable.latest().map(SnapshotInfo::sizeBytes).orElse(0L));
      } finally {
        durable.close();
      }
    }
    return max;
  }

  /** The index of server {@code i}'s newest durable snapshot, 0 if none. */
  long snapshotIndex(int i) {
    MemorySnapshotStorage durable = snapshots[i].durableCopy();
    try {
      return durable.latest().map(SnapshotInfo::index).orElse(0L);
    } finally {
      durable.close();
    }
  }

  /** Cuts (or restores) the links from every server to clerk number {@code clerk}. */
  void setReplies(int clerk, boolean on) {
    for (NodeId server : servers) {
      network.setLink(server, clerkIds.get(clerk), on);
    }
  }

  RaftNode node(int i) {
    return nodes[i];
  }

  @Override
  public void close() {
    clerks.forEach(RaftClient::close);
    for (RaftNode node : nodes) {
      if (node != null) {
        node.close();
      }
    }
    network.close();
  }

  static Set<Integer> set(Integer... servers) {
    return new HashSet<>(List.of(servers));
  }
}
