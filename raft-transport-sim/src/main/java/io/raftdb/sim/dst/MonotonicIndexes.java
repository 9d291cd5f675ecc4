package io.raftdb.sim.dst;

/**
 * Within one life of a node (from start or restart to crash) its commit index never decreases
 * and its state machine applies consecutive indexes from where it started (1, or just after the
 * snapshot it restarted from). The applied index never goes back: the only jump allowed is
 * forward, to a snapshot the leader installed.
 */
final class MonotonicIndexes {
  private final long[] commit;
  private final long[] applied;

  MonotonicIndexes(int nodes) {
    commit = new long[nodes];
    applied = new long[nodes];
  }

  /** Node index {@code node} starts a new life with its state at {@code appliedIndex}. */
  void restarted(int node, long appliedIndex) {
    commit[node] = 0;
    applied[node] = appliedIndex;
  }

  /** Node {@code name} reports commit index {@code index}. */
  void commitIndex(int node, String name, long index) {
    if (index < commit[node]) {
      throw new InvariantViolation(InvariantFamily.MONOTONIC_INDEXES,
          name + "'s commit index went from " + commit[node] + " down to " + index, name);
    }
    commit[node] = index;
  }

  /** Node {@code name} applies {@code index}. */
  void applying(int node, String name, long index) {
    if (index != applied[node] + 1) {
      throw new InvariantViolation(InvariantFamily.MONOTONIC_INDEXES, name + " applies index "
          + index + " after " + applied[node], name);
    }
    applied[node] = index;
  }

  /** Node {@code name} replaces its state with a snapshot that covers up to {@code index}. */
  void restoring(int node, String name, long index) {
    if (index <= applied[node]) {
      throw new InvariantViolation(InvariantFamily.MONOTONIC_INDEXES, name + " restores a snapshot"
          + " of index " + index + " after applying " + applied[node]
          + ": its applied index would not move forward", name);
    }
    applied[node] = index;
  }
}
