package io.raftdb.sim.dst;

import io.raftdb.message.LogEntry;
import java.util.List;

/**
 * State Machine Safety (thesis §3.6.3): the one true committed log of the run, assembled from
 * what every node hands its state machine. A node that commits a different entry at an index, or
 * whose state machine reaches a different value after an index, diverged.
 *
 * <p>Also remembers, per index, the lowest term of a node that reported the entry committed: the
 * entry was committed in that term or earlier, so every leader of a later term must hold it
 * (which {@link LeaderCompleteness} checks).
 */
final class CommittedLog {
  private final List<String> names;
  private final LongColumn terms = new LongColumn();
  private final LongColumn entryHashes = new LongColumn();
  /** Per index, the hash of the committed log up to it, as {@link LogMirror} computes it. */
  private final LongColumn prefixHashes = new LongColumn();
  private final LongColumn commitTerms = new LongColumn();
  private final LongColumn committers = new LongColumn();
  private final LongColumn stateHashes = new LongColumn();
  private final LongColumn appliers = new LongColumn();
  private long lastIndex;
  /** The lowest index whose commit term was lowered since the last {@link #takeLowered()}. */
  private long lowered = Long.MAX_VALUE;

  CommittedLog(List<String> names) {
    this.names = names;
  }

  /** The highest index anybody reported committed. */
  long lastIndex() {
    return lastIndex;
  }

  long term(long index) {
    return terms.get(index);
  }

  long entryHash(long index) {
    return entryHashes.get(index);
  }

  /** The hash of the committed log up to {@code index} (0 for index 0). */
  long prefixHash(long index) {
    return prefixHashes.get(index);
  }

  /** The term in which (or before which) the entry at {@code index} was committed. */
  long commitTerm(long index) {
    return commitTerms.get(index);
  }

  /** Node index {@code node}, in term {@code reporterTerm}, hands out {@code e} as committed. */
  void committed(int node, LogEntry e, long reporterTerm) {
    long i = e.index();
    long hash = Hashes.entry(e);
    if (terms.get(i) == 0) {
      if (i != lastIndex + 1) {
        throw new IllegalStateException(names.get(node) + " commits " + i + " after " + lastIndex);
      }
      terms.set(i, e.term());
      entryHashes.set(i, hash);
      prefixHashes.set(i, Hashes.combine(prefixHashes.get(i - 1), hash));
      commitTerms.set(i, reporterTerm);
      committers.set(i, node);
      lastIndex = i;
      return;
    }
    if (terms.get(i) != e.term() || entryHashes.get(i) != hash) {
      String first = names.get((int) committers.get(i));
      throw new InvariantViolation(InvariantFamily.STATE_MACHINE_SAFETY, names.get(node)
          + " committed entry " + i + "@" + e.term() + " but " + first + " committed "
          + i + "@" + terms.get(i) + (terms.get(i) == e.term() ? " with other content" : ""),
          first, names.get(node));
    }
    if (reporterTerm < commitTerms.get(i)) {
      commitTerms.set(i, reporterTerm);
      lowered = Math.min(lowered, i);
    }
  }

  /** Node index {@code node}'s state machine has value {@code stateHash} after {@code index}. */
  void applied(int node, long index, long stateHash) {
    long known = stateHashes.get(index);
    if (known == 0) {
      stateHashes.set(index, stateHash);
      appliers.set(index, node);
    } else if (known != stateHash) {
      String first = names.get((int) appliers.get(index));
      throw new InvariantViolation(InvariantFamily.STATE_MACHINE_SAFETY, names.get(node)
          + "'s state after applying index " + index + " differs from " + first + "'s",
          first, names.get(node));
    }
  }

  /**
   * Node index {@code node} holds something (a snapshot, a log restarting after one) that stands
   * for the committed log up to {@code (index, term)}: that entry must be committed.
   */
  void covered(int node, long index, long term, String what) {
    if (index > lastIndex || terms.get(index) != term) {
      throw new InvariantViolation(InvariantFamily.STATE_MACHINE_SAFETY, names.get(node) + " "
          + what + " " + index + "@" + term + " but " + (index > lastIndex
          ? "only " + lastIndex + " entries are known committed"
          : "the committed entry there is " + index + "@" + terms.get(index)), names.get(node));
    }
  }

  /**
   * Node index {@code node} holds a snapshot of {@code (index, term)} whose state machine value
   * is {@code stateHash}: it must cover a committed entry and hold the state every node had
   * after it. {@code what} says which snapshot, for the report.
   */
  void snapshot(int node, long index, long term, long stateHash, String what) {
    covered(node, index, term, what);
    long known = stateHashes.get(index);
    if (known != 0 && known != stateHash) {
      int firstNode = (int) appliers.get(index);
      String first = names.get(firstNode);
      String[] involved = firstNode == node ? new String[] {first}
          : new String[] {first, names.get(node)};
      throw new InvariantViolation(InvariantFamily.STATE_MACHINE_SAFETY, names.get(node) + " "
          + what + " " + index + "@" + term + " whose state differs from "
          + (firstNode == node ? "its own" : first + "'s") + " after applying index " + index,
          involved);
    }
    applied(node, index, stateHash);
  }

  /** The lowest index whose commit term went down since the last call, or MAX_VALUE. */
  long takeLowered() {
    long l = lowered;
    lowered = Long.MAX_VALUE;
    return l;
  }
}
