package io.raftdb.sim.scenario;

import io.raftdb.NodeClosedException;
import io.raftdb.RaftNode;
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
 * <p>It can also take snapshots as the labs' snapshot applier does ({@link #snapshotEvery}): from
 * inside {@code apply}, every {@code SnapShotInterval} indices, through
 * {@link RaftNode#takeSnapshot}, without waiting for the snapshot to be written.
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
  /** Application snapshots: every this many indices, or never (0). */
  private int snapshotInterval;
  private volatile RaftNode raftNode;
  /** The index of the last snapshot asked for (or restored); confined to the apply thread. */
  private long lastSnapshotAsked;

  RecordingStateMachine(AppliedLog applied, int node) {
    this.applied = applied;
    this.node = node;
  }

  /**
   * From now on, asks {@code node} (the one this state machine belongs to) for a snapshot from
   * inside {@code apply}, once a command is applied {@code interval} or more indices after the
   * last one asked for: the labs' applier asks at 9, 19, 29, ..., and RaftDB's no-ops may fall
   * there. The snapshot must come back at exactly the index asked (or later, if a newer request
   * served it); a failure other than the node's stop is an applier error. Call before the node
   * starts.
   */
  void snapshotEvery(int interval, RaftNode node) {
    this.snapshotInterval = interval;
    this.raftNode = node;
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
    if (snapshotInterval > 0 && index - lastSnapshotAsked >= snapshotInterval) {
      lastSnapshotAsked = index;
      askForSnapshot(index);
    }
    return LongCommand.of(value);
  }

  /** The labs' {@code Snapshot(index)} on the apply thread; the write finishes later. */
  private void askForSnapshot(long index) {
    raftNode.takeSnapshot().whenComplete((saved, failure) -> {
      if (failure instanceof NodeClosedException || !raftNode.status().isRunning()) {
        return; // crashed while it was written (its store may close under it), as crash1 may
      }
      if (failure != null) {
        applied.recordError("server " + node + ": the snapshot asked for at index " + index
            + " failed: " + failure);
      } else if (saved.index() < index) {
        applied.recordError("server " + node + ": the snapshot asked for at index " + index
            + " came back at index " + saved.index());
      }
    });
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
    lastSnapshotAsked = Math.max(lastSnapshotAsked, lastApplied);
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
