package io.raftdb.sim.dst;

/**
 * Within one life of a node (from start or restart to crash) its commit index never decreases
 * and its state machine applies consecutive indexes from 1.
 */
final class MonotonicIndexes {
  private final long[] commit;
  private final long[] applied;

  MonotonicIndexes(int nodes) {
    commit = new long[nodes];
    applied = new long[nodes];
  }

  /** Node index {@code node} starts a new life with nothing applied. */
  void restarted(int node) {
    commit[node] = 0;
    applied[node] = 0;
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
}
