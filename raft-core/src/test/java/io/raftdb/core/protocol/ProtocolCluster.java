package io.raftdb.core.protocol;

import io.raftdb.LogPosition;
import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.RaftConfig;
import io.raftdb.Role;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import io.raftdb.message.EntryKind;
import io.raftdb.message.InstallSnapshot;
import io.raftdb.message.InstallSnapshotResponse;
import io.raftdb.message.LogEntry;
import io.raftdb.message.MembershipCodec;
import io.raftdb.message.RaftMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Drives several {@link RaftProtocol}s in one thread, as a runtime would, with messages held
 * in a queue so that a test decides what is delivered, dropped or delayed.
 */
final class ProtocolCluster {
  static final RaftConfig CONFIG = RaftConfig.defaults()
      .withTickInterval(Duration.ofMillis(10))
      .withHeartbeatInterval(Duration.ofMillis(10))
      .withElectionTimeout(Duration.ofMillis(100))
      .withMaxInflightAppends(4);

  final List<NodeId> ids = new ArrayList<>();
  /** The group's first voters; nodes added later (see {@link #addJoiningNode}) join them. */
  private final List<NodeId> founders = new ArrayList<>();
  final Map<NodeId, RaftProtocol> nodes = new LinkedHashMap<>();
  final Map<NodeId, MemoryLogStorage> logs = new LinkedHashMap<>();
  final Map<NodeId, MemoryMetaStorage> metas = new LinkedHashMap<>();
  final Map<NodeId, List<LogEntry>> applied = new LinkedHashMap<>();
  final Map<NodeId, List<ReadState>> reads = new LinkedHashMap<>();
  final Map<NodeId, List<Long>> droppedReads = new LinkedHashMap<>();
  /** Messages sent and not yet delivered, in send order. */
  final ArrayDeque<Outbound> inFlight = new ArrayDeque<>();
  /** Nodes cut off from everybody. */
  final Set<NodeId> isolated = new HashSet<>();
  /**
   * Snapshot contents by position: the entries applied up to it (equal on every node, unless
   * forged messages made the nodes diverge, as the fuzz tests do).
   */
  final Map<LogPosition, List<LogEntry>> snapshots = new LinkedHashMap<>();
  /** Each node's newest snapshot (taken or installed), which a restart starts from. */
  final Map<NodeId, LogPosition> snapshotOf = new LinkedHashMap<>();
  /** Each node's monotonic clock, in nanoseconds: a tick moves it one tick interval on. */
  final Map<NodeId, long[]> clocks = new LinkedHashMap<>();
  /**
   * Whether a snapshot chunk is installed only when it names a snapshot that {@link
   * #takeSnapshot} took (index and term). A runtime installs only a snapshot whose stored bytes
   * verify, so a forged chunk (as the fuzz tests send) must not be installed; off by default,
   * where every chunk is trusted.
   */
  boolean installsOnlyKnownSnapshots;
  private final RaftConfig config;
  private final long seed;

  ProtocolCluster(int size, long seed) {
    this(size, seed, CONFIG);
  }

  ProtocolCluster(int size, long seed, RaftConfig config) {
    this.config = config;
    this.seed = seed;
    for (int i = 1; i <= size; i++) {
      ids.add(NodeId.of("n" + i));
    }
    founders.addAll(ids);
    for (NodeId id : ids) {
      logs.put(id, new MemoryLogStorage());
      metas.put(id, new MemoryMetaStorage());
      start(id);
    }
  }

  /** Starts a new, empty node that waits for the group's leader to add it. */
  RaftProtocol addJoiningNode(NodeId id) {
    ids.add(id);
    logs.put(id, new MemoryLogStorage());
    metas.put(id, new MemoryMetaStorage());
    start(id);
    return nodes.get(id);
  }

  /** The membership after these applied entries: the last membership entry's, or the founders'. */
  Membership membershipAfter(NodeId id, List<LogEntry> appliedEntries) {
    for (int i = appliedEntries.size() - 1; i >= 0; i--) {
      LogEntry e = appliedEntries.get(i);
      if (e.kind() == EntryKind.MEMBERSHIP) {
        return MembershipCodec.decode(e.payload());
      }
    }
    return founders.contains(id) ? Membership.ofVoters(founders) : Membership.NONE;
  }

  /** (Re)starts a node from what its storage made durable. */
  void start(NodeId id) {
    // A node restarts from its newest snapshot (its log may no longer reach back to index 1).
    LogPosition snapshot = snapshotOf.getOrDefault(id, new LogPosition(0, 0));
    applied.put(id, snapshot.index() == 0 ? new ArrayList<>()
        : new ArrayList<>(snapshots.get(snapshot)));
    reads.put(id, new ArrayList<>());
    droppedReads.put(id, new ArrayList<>());
    long[] clock = clocks.computeIfAbsent(id, k -> new long[1]);
    nodes.put(id, new RaftProtocol(0, id, membershipAfter(id, applied.get(id)), config,
        logs.get(id), metas.get(id).load(), snapshot, new SplittableRandom(seed * 31 + id.hashCode()), () -> clock[0]));
  }

  /** Crashes a node: it loses what it had not synced, and restarts. */
  void crashAndRestart(NodeId id) {
    logs.put(id, logs.get(id).durableCopy());
    metas.put(id, metas.get(id).durableCopy());
    inFlight.removeIf(o -> o.to().equals(id));
    start(id);
  }

  RaftProtocol node(NodeId id) {
    return nodes.get(id);
  }

  RaftProtocol node(int oneBased) {
    return nodes.get(ids.get(oneBased - 1));
  }

  NodeId id(int oneBased) {
    return ids.get(oneBased - 1);
  }

  /** Runs every node's ready loop until no node has anything left to do (messages queue up). */
  void process() {
    boolean busy = true;
    while (busy) {
      busy = false;
      for (NodeId id : ids) {
        busy |= process(id);
      }
    }
  }

  /** Runs one node's ready loop until it has nothing left to do; returns whether it did work. */
  boolean process(NodeId id) {
    RaftProtocol p = nodes.get(id);
    boolean worked = false;
    while (p.hasReady()) {
      worked = true;
      handle(id, p, p.ready());
    }
    return worked;
  }

  private void handle(NodeId id, RaftProtocol p, Ready rd) {
    rd.messages().forEach(this::enqueue);
    if (rd.hardState() != null) {
      metas.get(id).save(rd.hardState());
    }
    if (rd.logReset() != null) {
      logs.get(id).reset(rd.logReset().index(), rd.logReset().term());
    }
    if (!rd.entries().isEmpty()) {
      MemoryLogStorage log = logs.get(id);
      long first = rd.entries().get(0).index();
      if (first <= log.lastIndex()) {
        log.truncateSuffix(first);
      }
      log.append(rd.entries());
    }
    logs.get(id).sync();
    rd.messagesAfterPersist().forEach(this::enqueue);
    for (SnapshotRequest r : rd.snapshotsToSend()) {
      // The runtime would stream the snapshot in chunks; here it arrives in one.
      enqueue(new Outbound(r.to(), new InstallSnapshot(0, id, p.term(), r.index(), r.term(), 0,
          new byte[0], true)));
    }
    if (rd.snapshotToRestore() != null) {
      List<LogEntry> state = snapshots.get(rd.snapshotToRestore());
      if (state == null) {
        throw new AssertionError(id + " restores snapshot " + rd.snapshotToRestore()
            + " that nobody took");
      }
      applied.put(id, new ArrayList<>(state));
    }
    for (LogEntry e : rd.committedEntries()) {
      List<LogEntry> mine = applied.get(id);
      long expected = mine.isEmpty() ? 1 : mine.get(mine.size() - 1).index() + 1;
      if (e.index() != expected) {
        throw new AssertionError(id + " applied " + e.index() + " but expected " + expected);
      }
      mine.add(e);
    }
    reads.get(id).addAll(rd.readStates());
    droppedReads.get(id).addAll(rd.droppedReads());
    p.advance(rd);
    if (rd.lastEntry() != null) {
      p.persisted(rd.lastEntry().index(), rd.lastEntry().term()); // synced above
    }
    for (InstallSnapshot chunk : rd.snapshotChunks()) {
      if (installsOnlyKnownSnapshots && !isKnownSnapshot(chunk)) {
        continue; // its bytes would not verify: the runtime drops it
      }
      LogPosition at = new LogPosition(chunk.snapshotIndex(), chunk.snapshotTerm());
      Membership inSnapshot = snapshots.containsKey(at)
          ? membershipAfter(id, snapshots.get(at)) : p.membership();
      if (p.installSnapshot(chunk.snapshotIndex(), chunk.snapshotTerm(), inSnapshot)) {
        // The log now continues from this snapshot: a restart must start from it.
        snapshotOf.put(id, new LogPosition(chunk.snapshotIndex(), chunk.snapshotTerm()));
      }
      enqueue(new Outbound(chunk.from(), new InstallSnapshotResponse(0, id, p.term(),
          chunk.snapshotIndex(), 0, true)));
    }
  }

  private boolean isKnownSnapshot(InstallSnapshot chunk) {
    List<LogEntry> state = snapshots.get(
        new LogPosition(chunk.snapshotIndex(), chunk.snapshotTerm()));
    return chunk.done() && state != null && !state.isEmpty()
        && state.get(state.size() - 1).term() == chunk.snapshotTerm();
  }

  /** Takes a snapshot of everything {@code id} applied and compacts its log up to it. */
  long takeSnapshot(NodeId id) {
    List<LogEntry> state = applied.get(id);
    LogEntry last = state.get(state.size() - 1);
    snapshots.put(last.position(), List.copyOf(state));
    nodes.get(id).snapshotSaved(last.index(), last.term());
    snapshotOf.put(id, last.position());
    logs.get(id).compactPrefix(last.index());
    return last.index();
  }

  private void enqueue(Outbound o) {
    if (nodes.containsKey(o.to())) {
      inFlight.add(o); // (as a transport would, it drops what is addressed to no node it knows)
    }
  }

  /** Delivers queued messages (and what they cause) until none is left. */
  void deliverAll() {
    process();
    while (!inFlight.isEmpty()) {
      deliver(inFlight.poll());
      process();
    }
  }

  /** Delivers queued messages, dropping those the predicate rejects. */
  void deliverAll(Predicate<Outbound> keep) {
    process();
    while (!inFlight.isEmpty()) {
      Outbound o = inFlight.poll();
      if (keep.test(o)) {
        deliver(o);
      }
      process();
    }
  }

  void deliver(Outbound o) {
    RaftMessage m = o.message();
    if (isolated.contains(o.to()) || isolated.contains(m.from())) {
      return;
    }
    nodes.get(o.to()).step(m);
  }

  /** Ticks every node once, then delivers everything. */
  void tickAll() {
    for (NodeId id : ids) {
      tickOnce(id);
    }
    deliverAll();
  }

  void tick(NodeId id, int times) {
    for (int i = 0; i < times; i++) {
      tickOnce(id);
    }
    process();
  }

  private void tickOnce(NodeId id) {
    clocks.get(id)[0] += config.tickInterval().toNanos();
    nodes.get(id).tick();
  }

  /** Real time passes on {@code id}'s clock without a tick: its loop was stalled. */
  void stall(NodeId id, Duration d) {
    clocks.get(id)[0] += d.toNanos();
  }

  /** Ticks until a leader (visible to all non-isolated nodes) emerges; returns it. */
  NodeId electLeader() {
    for (int i = 0; i < 10_000; i++) {
      tickAll();
      NodeId leader = soleLeader();
      if (leader != null) {
        return leader;
      }
    }
    throw new AssertionError("no leader after 10000 ticks");
  }

  /** The single leader of the highest term among connected nodes, or null. */
  NodeId soleLeader() {
    NodeId found = null;
    long bestTerm = -1;
    for (NodeId id : ids) {
      RaftProtocol p = nodes.get(id);
      if (!isolated.contains(id) && p.role() == Role.LEADER && p.term() > bestTerm) {
        found = id;
        bestTerm = p.term();
      }
    }
    return found;
  }

  /** Commands (not no-ops) applied by a node, as strings. */
  List<String> appliedCommands(NodeId id) {
    List<String> out = new ArrayList<>();
    for (LogEntry e : applied.get(id)) {
      if (e.kind() == EntryKind.COMMAND) {
        out.add(new String(e.payload()));
      }
    }
    return out;
  }

  static byte[] bytes(String s) {
    return s.getBytes();
  }
}
