package io.raftdb.sim.dst;

import io.raftdb.Role;
import io.raftdb.message.LogEntry;
import io.raftdb.storage.HardState;
import io.raftdb.storage.LogStorage;
import java.util.List;
import java.util.Set;

/**
 * Every safety check of the simulator behind one door. Nodes report what they write, save,
 * commit, apply and serve as they do it, and the simulation calls {@link #afterEvent} after every
 * event; a broken property throws an {@link InvariantViolation} at once. Families left out of the
 * run's options are still tracked but never reported.
 */
final class Invariants {
  private final List<String> names;
  private final Set<InvariantFamily> checked;
  private final LogMirror[] mirrors;
  private final ElectionSafety electionSafety = new ElectionSafety();
  private final LogMatching logMatching = new LogMatching();
  private final CommittedLog committed;
  private final LeaderCompleteness leaderCompleteness;
  private final DurableHardState hardStates;
  private final MonotonicIndexes indexes;
  private final LinearizableReads reads = new LinearizableReads();

  Invariants(List<String> names, Set<InvariantFamily> checked) {
    this.names = List.copyOf(names);
    this.checked = checked;
    int n = names.size();
    mirrors = new LogMirror[n];
    for (int i = 0; i < n; i++) {
      mirrors[i] = new LogMirror();
    }
    committed = new CommittedLog(this.names);
    leaderCompleteness = new LeaderCompleteness(n);
    hardStates = new DurableHardState(n);
    indexes = new MonotonicIndexes(n);
  }

  /** Runs a check, passing on its violation only if that family is checked in this run. */
  private void check(Runnable body) {
    try {
      body.run();
    } catch (InvariantViolation v) {
      if (checked.contains(v.family())) {
        throw v;
      }
    }
  }

  // ------------------------------------------------------------------ what nodes report

  /** Node index {@code node} truncated its log from {@code fromIndex}. */
  void logTruncated(int node, long fromIndex) {
    mirrors[node].truncateFrom(fromIndex);
  }

  /** Node index {@code node} appended {@code entries} to its log. */
  void logAppended(int node, List<LogEntry> entries) {
    for (LogEntry e : entries) {
      long prefix = mirrors[node].append(e);
      check(() -> logMatching.written(names.get(node), e.index(), e.term(), prefix));
    }
  }

  /**
   * Node index {@code node} restarts, a new life, with what its disk kept: the newest durable
   * snapshot, which ends at {@code snapshotIndex} (0 if none) and holds state
   * {@code stateHash}, and the durable log {@code log}, which must continue from it.
   */
  void restarted(int node, long snapshotIndex, long snapshotTerm, long stateHash,
      LogStorage log) {
    indexes.restarted(node, snapshotIndex);
    if (snapshotIndex > 0) {
      check(() -> committed.snapshot(node, snapshotIndex, snapshotTerm, stateHash,
          "restarts from a snapshot of"));
    }
    long base = log.firstIndex() - 1;
    restartMirror(node, base, log.term(base), "restarts with a log that continues after");
    long next = base + 1;
    while (next <= log.lastIndex()) {
      List<LogEntry> batch = log.entries(next, log.lastIndex() + 1, Long.MAX_VALUE);
      logAppended(node, batch);
      next += batch.size();
    }
  }

  /**
   * Node index {@code node}, about to restart, finds a durable log starting at
   * {@code firstIndex} and a newest durable snapshot ending at {@code durableSnapshot}.
   */
  void restarting(int node, long firstIndex, long durableSnapshot) {
    check(() -> CompactionSafety.restarting(names.get(node), firstIndex, durableSnapshot));
  }

  /** Node index {@code node} reset its log to continue after an installed snapshot. */
  void logReset(int node, long snapshotIndex, long snapshotTerm) {
    restartMirror(node, snapshotIndex, snapshotTerm, "resets its log to continue after");
  }

  private void restartMirror(int node, long index, long term, String what) {
    if (index > 0) {
      check(() -> committed.covered(node, index, term, what));
    }
    mirrors[node].restartAfter(index, term, committed.entryHash(index),
        committed.prefixHash(index));
  }

  /**
   * Node index {@code node} drops its log through {@code upToIndex}; its newest durable snapshot
   * ends at {@code durableSnapshot}.
   */
  void compacting(int node, long upToIndex, long durableSnapshot) {
    check(() -> CompactionSafety.compacting(names.get(node), upToIndex, durableSnapshot));
  }

  /**
   * Node index {@code node} stored a snapshot of {@code (index, term)} holding state
   * {@code stateHash} ({@code what}: taken itself, or received from the leader).
   */
  void snapshotStored(int node, long index, long term, long stateHash, String what) {
    check(() -> committed.snapshot(node, index, term, stateHash, what));
  }

  /**
   * Node index {@code node} replaces its state machine's state with an installed snapshot of
   * {@code (index, term)} holding {@code stateHash}.
   */
  void restoring(int node, long index, long term, long stateHash) {
    check(() -> indexes.restoring(node, names.get(node), index));
    check(() -> committed.snapshot(node, index, term, stateHash, "restores a snapshot of"));
  }

  /** Node index {@code node} saved its term and vote. */
  void hardStateSaved(int node, HardState state) {
    check(() -> hardStates.saved(node, names.get(node), state));
  }

  /** Node index {@code node}, in term {@code term}, hands out {@code entries} as committed. */
  void committed(int node, List<LogEntry> entries, long term) {
    for (LogEntry e : entries) {
      check(() -> committed.committed(node, e, term));
    }
    long lowered = committed.takeLowered();
    if (lowered != Long.MAX_VALUE) {
      leaderCompleteness.rewind(lowered);
    }
    reads.commitKnown(committed.lastIndex());
  }

  /** Node index {@code node} is about to apply {@code index}. */
  void applying(int node, long index) {
    check(() -> indexes.applying(node, names.get(node), index));
  }

  /** Node index {@code node}'s state machine has value {@code stateHash} after {@code index}. */
  void applied(int node, long index, long stateHash) {
    check(() -> committed.applied(node, index, stateHash));
  }

  /** A client issues read {@code id}. */
  void readIssued(long id) {
    reads.issued(id);
  }

  /** Read {@code id} will never be served. */
  void readAbandoned(long id) {
    reads.abandoned(id);
  }

  /** Node index {@code node} serves read {@code id} from its state after {@code appliedIndex}. */
  void readServed(int node, long id, long appliedIndex) {
    check(() -> reads.served(names.get(node), id, appliedIndex));
  }

  // ------------------------------------------------------------------ after every event

  /** Checks what shows from outside the nodes: roles, terms, commit indexes, leaders' logs. */
  void afterEvent(List<SimNode> nodes) {
    for (SimNode n : nodes) {
      if (n.isUp()) {
        afterInput(n);
        if (n.role() == Role.LEADER) {
          int i = n.index();
          long term = n.term();
          check(() -> leaderCompleteness.checkLeader(i, n.name(), n.life(), term, mirrors[i],
              committed));
        }
      }
    }
  }

  /**
   * Checks one node's role and commit index after each input it handles, so that a leadership
   * that lasts only part of an event (a node working through queued inputs) is still seen.
   */
  void afterInput(SimNode n) {
    if (!n.isUp()) {
      return; // crashed while handling the input: its protocol object is dead
    }
    long commit = n.commitIndex();
    reads.commitKnown(commit);
    check(() -> indexes.commitIndex(n.index(), n.name(), commit));
    if (n.role() == Role.LEADER) {
      long term = n.term();
      check(() -> electionSafety.leader(n.name(), term));
    }
  }

  // ------------------------------------------------------------------ for the liveness check

  /** The committed log as assembled so far. */
  CommittedLog committedLog() {
    return committed;
  }

  /** How many reads were served and checked. */
  long readsServed() {
    return reads.served();
  }

  /** How many terms had a leader. */
  int termsWithLeader() {
    return electionSafety.termsWithLeader();
  }
}
