package io.raftdb.sim.dst;

/**
 * Compaction safety (thesis chapter 5): a node drops log entries only once a durable snapshot
 * covers them. Checked when a node compacts (against the newest snapshot its disk would keep
 * through a crash) and when it restarts (its newest durable snapshot and durable log must leave no
 * gap between them, which is what the runtime's start-up insists on).
 */
final class CompactionSafety {
  private CompactionSafety() {}

  /**
   * Node {@code name} compacts its log through {@code upToIndex} while its newest durable
   * snapshot ends at {@code durableSnapshot} (0 if it has none).
   */
  static void compacting(String name, long upToIndex, long durableSnapshot) {
    if (upToIndex > durableSnapshot) {
      throw new InvariantViolation(InvariantFamily.COMPACTION_SAFETY, name
          + " compacts its log through index " + upToIndex + " but its newest durable snapshot"
          + (durableSnapshot == 0 ? " does not exist" : " ends at " + durableSnapshot), name);
    }
  }

  /**
   * Node {@code name} restarts with a durable log starting at {@code firstIndex} and a newest
   * durable snapshot ending at {@code durableSnapshot} (0 if it has none).
   */
  static void restarting(String name, long firstIndex, long durableSnapshot) {
    if (durableSnapshot < firstIndex - 1) {
      throw new InvariantViolation(InvariantFamily.COMPACTION_SAFETY, name + " restarts with a"
          + " log that starts at index " + firstIndex + " but its newest durable snapshot "
          + (durableSnapshot == 0 ? "does not exist" : "ends at " + durableSnapshot)
          + ": entries " + (durableSnapshot + 1) + ".." + (firstIndex - 1) + " are lost", name);
    }
  }
}
