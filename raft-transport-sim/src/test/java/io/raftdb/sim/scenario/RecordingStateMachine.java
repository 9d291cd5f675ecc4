package io.raftdb.sim.scenario;

import io.raftdb.StateMachine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The scenario tests' state machine, one per node incarnation: it reports every applied command
 * to the cluster's {@link AppliedLog} (the labs' applier), and returns the command's value as the
 * result. Its state is the {@link CommandHistory} of the commands it applied, which is also what
 * its snapshots hold, as the labs' snapshot applier's snapshots hold every command up to their
 * index.
 *
 * <p>A new incarnation starts empty, from index 0, as the labs' {@code start1} resets
 * {@code lastApplied}; restoring a snapshot (at start-up or when the leader installs one) replaces
 * the whole state, and the node's applied history restarts after the snapshot's last command
 * ({@link AppliedLog#restored}).
 *
 * <p>Threading: RaftDB's apply thread calls everything (start-up restores run before it starts);
 * the snapshot writer runs on RaftDB's snapshot thread over an immutable prefix.
 */
final class RecordingStateMachine implements StateMachine {
  private final AppliedLog applied;
  private final int node;
  /** Confined to the apply thread. */
  private CommandHistory history = new CommandHistory();
  /** The last index applied; confined to the apply thread. */
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
    if (index > history.lastIndex()) { // else the applier check above reported it
      history.append(index, value);
    }
    lastApplied = Math.max(lastApplied, index);
    return LongCommand.of(value);
  }

  /** Pins the history as of now; the writer serialises it while applying goes on. */
  @Override
  public SnapshotWriter captureSnapshot() {
    CommandHistory.Prefix state = history.capture();
    return state::writeTo;
  }

  @Override
  public void restoreSnapshot(InputStream in) throws IOException {
    CommandHistory restored = CommandHistory.read(in);
    applied.restored(node, lastApplied, restored.capture().toMap());
    history = restored;
    lastApplied = restored.lastIndex();
  }

  /**
   * Answers any query with the whole state: the applied commands in {@link CommandHistory}'s
   * serialised form (see {@link RaftCluster#stateMachineContents}).
   */
  @Override
  public byte[] query(byte[] query) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      history.capture().writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return out.toByteArray();
  }
}
