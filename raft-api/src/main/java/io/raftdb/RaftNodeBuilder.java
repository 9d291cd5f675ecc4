package io.raftdb;

import io.raftdb.spi.NodeSpec;
import io.raftdb.spi.RaftNodeProvider;
import io.raftdb.storage.LogStorage;
import io.raftdb.storage.MetaStorage;
import io.raftdb.storage.SnapshotStorage;
import io.raftdb.transport.Transport;
import io.raftdb.transport.TransportFactory;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Describes a {@link RaftNode} and builds it; the node runs once {@link RaftNode#start()} is
 * called, so that listeners can be attached first. Not thread-safe; use from one thread.
 *
 * <pre>{@code
 * RaftNode node = RaftNode.builder()
 *     .id(NodeId.of("n1"))
 *     .members(List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3")))
 *     .stateMachine(new Counter())
 *     .transport("tcp", Map.of(n1, "127.0.0.1:7001", n2, "127.0.0.1:7002", n3, "127.0.0.1:7003"))
 *     .dataDirectory(Path.of("data/n1"))
 *     .build()
 *     .start();
 * }</pre>
 */
public final class RaftNodeBuilder {
  private NodeId id;
  private final List<NodeId> members = new ArrayList<>();
  private boolean joining;
  private StateMachine stateMachine;
  private Transport transport;
  private String transportName;
  private Map<NodeId, String> addresses = Map.of();
  private Map<String, ?> transportOptions = Map.of();
  private Path dataDirectory;
  private LogStorage logStorage;
  private MetaStorage metaStorage;
  private SnapshotStorage snapshotStorage;
  private RaftConfig config = RaftConfig.defaults();
  private long groupId;
  private RaftMetrics metrics = RaftMetrics.NONE;

  RaftNodeBuilder() {}

  /** This node's id; required. */
  public RaftNodeBuilder id(NodeId id) {
    this.id = Objects.requireNonNull(id, "id");
    return this;
  }

  /**
   * The group's initial voting members, including this node; required unless the node is
   * {@link #joining()}. They count only until the group's log or a snapshot says otherwise: a
   * restarted node takes the membership from its data, including every change since.
   */
  public RaftNodeBuilder members(List<NodeId> members) {
    this.members.clear();
    this.members.addAll(members);
    return this;
  }

  /**
   * This node joins a running group instead of founding one: it starts with no membership,
   * never campaigns, and waits for the group's leader to add it ({@link RaftNode#addVoter} or
   * {@link RaftNode#addLearner} on the leader), which then sends it the log or a snapshot. Do not
   * also set {@link #members}.
   */
  public RaftNodeBuilder joining() {
    this.joining = true;
    return this;
  }

  /** The state machine to replicate; required. */
  public RaftNodeBuilder stateMachine(StateMachine stateMachine) {
    this.stateMachine = Objects.requireNonNull(stateMachine, "stateMachine");
    return this;
  }

  /** A ready-made transport; the node closes it when it closes. */
  public RaftNodeBuilder transport(Transport transport) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.transportName = null;
    return this;
  }

  /**
   * A transport found by name through {@link TransportFactory#named}, with every member's
   * address.
   */
  public RaftNodeBuilder transport(String name, Map<NodeId, String> addresses) {
    return transport(name, addresses, Map.of());
  }

  /** As {@link #transport(String, Map)}, with transport-specific options. */
  public RaftNodeBuilder transport(String name, Map<NodeId, String> addresses,
      Map<String, ?> options) {
    this.transportName = Objects.requireNonNull(name, "name");
    this.addresses = Map.copyOf(addresses);
    this.transportOptions = Map.copyOf(options);
    this.transport = null;
    return this;
  }

  /**
   * Where the node keeps its log and hard state on disk. Either this or both
   * {@link #logStorage} and {@link #metaStorage} are required.
   */
  public RaftNodeBuilder dataDirectory(Path dir) {
    this.dataDirectory = Objects.requireNonNull(dir, "dir");
    return this;
  }

  /** A ready-made log store (for example an in-memory one in tests); the node closes it. */
  public RaftNodeBuilder logStorage(LogStorage log) {
    this.logStorage = Objects.requireNonNull(log, "log");
    return this;
  }

  /** A ready-made hard-state store; the node closes it. */
  public RaftNodeBuilder metaStorage(MetaStorage meta) {
    this.metaStorage = Objects.requireNonNull(meta, "meta");
    return this;
  }

  /**
   * A ready-made snapshot store; the node closes it. With {@link #logStorage} and no snapshot
   * store, the node takes no snapshots and never compacts its log (a log that outlives a restart
   * must never lose a prefix that no stored snapshot covers). With {@link #dataDirectory},
   * snapshots are kept there.
   */
  public RaftNodeBuilder snapshotStorage(SnapshotStorage snapshots) {
    this.snapshotStorage = Objects.requireNonNull(snapshots, "snapshots");
    return this;
  }

  /** Timing and flow-control settings; {@link RaftConfig#defaults()} if not given. */
  public RaftNodeBuilder config(RaftConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    return this;
  }

  /** The group this node belongs to, when several groups share a transport; 0 by default. */
  public RaftNodeBuilder groupId(long groupId) {
    this.groupId = groupId;
    return this;
  }

  /**
   * Where the node reports its activity (for example raft-core's {@code MicrometerRaftMetrics}
   * over a Micrometer registry); nothing is recorded without one.
   */
  public RaftNodeBuilder metrics(RaftMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    return this;
  }

  /**
   * Checks the description, opens storage and transport, and builds the node, which takes part
   * in the group once {@link RaftNode#start() started} (and must be {@link RaftNode#close()
   * closed} either way, to release its storage and transport).
   *
   * @throws IllegalArgumentException if something required is missing or inconsistent: among
   *     others, a state machine that captures snapshots but cannot restore them, or a
   *     {@link RaftConfig#maxCommandBytes()} that the log or the transport cannot carry
   * @throws IllegalStateException if no RaftDB runtime ({@code raft-core}) is on the class path
   */
  public RaftNode build() {
    if (id == null || stateMachine == null) {
      throw new IllegalArgumentException("id and stateMachine are required");
    }
    if (overrides(stateMachine, "captureSnapshot")
        && !overrides(stateMachine, "restoreSnapshot", InputStream.class)) {
      throw new IllegalArgumentException(stateMachine.getClass().getName()
          + " captures snapshots but cannot restore them: override restoreSnapshot too, or the"
          + " node would fail at its first restart from a snapshot");
    }
    if (joining && !members.isEmpty()) {
      throw new IllegalArgumentException("a joining node learns its members from the group's"
          + " leader: do not set members " + members);
    }
    if (!joining && (members.isEmpty() || !members.contains(id))) {
      throw new IllegalArgumentException("members " + members + " must include this node " + id
          + " (or, to add a node to a running group, build it with joining())");
    }
    if (members.stream().distinct().count() != members.size()) {
      throw new IllegalArgumentException("members " + members + " has duplicates");
    }
    if (transport == null && transportName == null) {
      throw new IllegalArgumentException("a transport is required");
    }
    if (dataDirectory == null && (logStorage == null || metaStorage == null)) {
      throw new IllegalArgumentException(
          "either dataDirectory or both logStorage and metaStorage are required");
    }
    Transport t = transport != null
        ? transport
        : TransportFactory.named(transportName).create(id, addresses, transportOptions);
    NodeSpec spec = new NodeSpec(groupId, id, List.copyOf(members), stateMachine, t,
        dataDirectory, logStorage, metaStorage, snapshotStorage, config, metrics);
    RaftNodeProvider provider = ServiceLoader.load(RaftNodeProvider.class).findFirst()
        .orElseThrow(() -> new IllegalStateException(
            "no RaftDB runtime on the class path: add the raft-core module"));
    return provider.create(spec);
  }

  /** Whether the state machine's class overrides the interface's default method. */
  private static boolean overrides(StateMachine machine, String method, Class<?>... parameters) {
    try {
      return machine.getClass().getMethod(method, parameters).getDeclaringClass()
          != StateMachine.class;
    } catch (NoSuchMethodException e) {
      throw new AssertionError("StateMachine has no method " + method, e);
    }
  }
}
