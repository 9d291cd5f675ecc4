package io.raftdb.core.protocol;

import io.raftdb.NodeId;
import io.raftdb.Role;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.message.LogEntry;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Raft's safety invariants over a {@link ProtocolCluster}, checked after every step of a fuzz
 * run, in two kinds.
 *
 * <p><b>Local</b> invariants concern one node and must hold whatever it is sent: its commit index
 * is never above its last index, it applies entries in order without gaps (the cluster checks
 * that as it applies), and the entry it applied last is still in its log.
 *
 * <p><b>Cross-node</b> invariants (at most one leader per term; every node applies the same entry
 * at the same index) hold for honest members only: Raft is not Byzantine-tolerant, and a forged
 * but plausible message in a member's name (a vote grant, an acknowledgement, entries in the
 * leader's name) can break them with no way for the receiver to tell. A fuzz run reports them
 * separately.
 */
final class ClusterSafety {
  private final ProtocolCluster cluster;
  private final Map<Long, NodeId> leaderOfTerm = new HashMap<>();
  /** The first entry applied at each index by any node. */
  private final Map<Long, LogEntry> firstApplied = new HashMap<>();
  /** How many of each node's applied entries (of its current incarnation) were checked. */
  private final Map<List<LogEntry>, Integer> checkedApplied = new IdentityHashMap<>();

  ClusterSafety(ProtocolCluster cluster) {
    this.cluster = cluster;
  }

  /** Checks every node; reports violations to {@code local} and {@code crossNode}. */
  void check(String context, FuzzFindings local, FuzzFindings crossNode) {
    for (NodeId id : cluster.ids) {
      RaftProtocol p = cluster.node(id);
      if (p.commitIndex() > p.lastLogIndex()) {
        local.invariant("commitIndex above lastIndex", id + " commitIndex " + p.commitIndex()
            + " > lastIndex " + p.lastLogIndex(), context);
      }
      List<LogEntry> applied = cluster.applied.get(id);
      checkLastAppliedStillLogged(id, applied, context, local);
      if (p.role() == Role.LEADER) {
        NodeId previous = leaderOfTerm.putIfAbsent(p.term(), id);
        if (previous != null && !previous.equals(id)) {
          crossNode.invariant("two leaders in one term", previous + " and " + id
              + " both lead term " + p.term(), context);
        }
      }
      int from = checkedApplied.getOrDefault(applied, 0);
      for (int i = from; i < applied.size(); i++) {
        LogEntry e = applied.get(i);
        LogEntry first = firstApplied.putIfAbsent(e.index(), e);
        if (first != null && !first.equals(e)) {
          crossNode.invariant("nodes applied different entries at one index", id + " applied "
              + e + " where another node applied " + first, context);
        }
      }
      checkedApplied.put(applied, applied.size());
    }
  }

  private void checkLastAppliedStillLogged(NodeId id, List<LogEntry> applied, String context,
      FuzzFindings local) {
    if (applied.isEmpty()) {
      return;
    }
    LogEntry last = applied.get(applied.size() - 1);
    MemoryLogStorage log = cluster.logs.get(id);
    if (last.index() < log.firstIndex() || last.index() > log.lastIndex()) {
      return; // compacted into a snapshot, or not yet durable
    }
    LogEntry logged = log.entries(last.index(), last.index() + 1, Long.MAX_VALUE).get(0);
    if (!logged.equals(last)) {
      local.invariant("an applied entry changed in the node's log", id + " applied " + last
          + " but its log now holds " + logged, context);
    }
  }

  /** Forgets the cursors of applied lists that restarts discarded. */
  void forgetStaleCursors() {
    checkedApplied.keySet().removeIf(
        list -> cluster.applied.values().stream().noneMatch(current -> current == list));
  }
}
