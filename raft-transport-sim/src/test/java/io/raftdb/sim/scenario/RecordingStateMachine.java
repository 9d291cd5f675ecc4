package io.raftdb.sim.scenario;

import io.raftdb.StateMachine;

/**
 * The scenario tests' state machine, one per node incarnation: it reports every applied command
 * to the cluster's {@link AppliedLog} (the labs' applier), and returns the command's value as the
 * result. Its own state is only the last index it applied, which is what makes the order check
 * per incarnation: a restarted node starts from index 0 again, as the labs' {@code start1}
 * resets {@code lastApplied}.
 */
final class RecordingStateMachine implements StateMachine {
  private final AppliedLog applied;
  private final int node;
  /** Confined to RaftDB's apply thread. */
  private long lastApplied;

  RecordingStateMachine(AppliedLog applied, int node) {
    this.applied = applied;
    this.node = node;
  }

  @Override
  public byte[] apply(long index, byte[] command) {
    long value;
    try {
      value = LongCommand.valueOf(command);
    } catch (IllegalArgumentException e) {
      applied.recordError("server " + node + " index " + index + ": " + e.getMessage());
      lastApplied = index;
      return new byte[0];
    }
    applied.record(node, lastApplied, index, value);
    lastApplied = Math.max(lastApplied, index);
    return LongCommand.of(value);
  }

  /** Answers any query with the last applied index. */
  @Override
  public byte[] query(byte[] query) {
    return LongCommand.of(lastApplied);
  }
}
