package io.raftdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic service that RaftDB replicates. Implemented by users.
 *
 * <p>Every node applies the same committed commands in the same order, so every node's state
 * machine passes through the same states. The implementation must therefore be deterministic: the
 * result and the new state depend only on the previous state and the command (no clocks, no
 * randomness, no I/O whose outcome can differ between nodes). It never sees terms, votes, no-op
 * entries or client retries: Raft and the client sessions handle those.
 *
 * <p>Threading: RaftDB calls every method from a single apply thread, one call at a time, so the
 * implementation needs no locking of its own (with {@link RaftConfig#applyOnEventLoop()} that
 * thread is the node's event loop, and every call should be quick). The one exception is
 * {@link SnapshotWriter#writeTo}, which runs on a background thread while the apply thread goes
 * on (see {@link #captureSnapshot()}).
 *
 * <p>Snapshots (thesis chapter 5) let RaftDB discard the log they cover and bring a far-behind
 * or new node up to date. A state machine that does not override {@link #captureSnapshot()}
 * opts out: its log is never compacted.
 */
public interface StateMachine {

  /**
   * Applies one committed command and returns its result, which completes the future of the
   * {@link RaftNode#submit} call that proposed it (on the node that proposed it).
   *
   * @param index the log index of the entry that carried the command; never decreasing from call
   *     to call, and increasing at every entry. Commands that a {@link RaftClient} sent in one
   *     request share one entry and so one index (they are still applied once each, in order)
   * @param command the command's bytes, exactly as submitted
   * @return the result, never {@code null} (use an empty array for "no result")
   */
  byte[] apply(long index, byte[] command);

  /**
   * Applies a batch of consecutive committed commands. The default calls {@link #apply} for each;
   * override it to amortise work such as a write batch or a lock across commands.
   *
   * @return one result per command, in the same order
   */
  default List<byte[]> applyBatch(List<Command> commands) {
    List<byte[]> results = new ArrayList<>(commands.size());
    for (Command c : commands) {
      results.add(apply(c.index(), c.bytes()));
    }
    return results;
  }

  /**
   * Answers a read-only query against the current state. Must not change the state.
   *
   * @return the answer, never {@code null}
   */
  byte[] query(byte[] query);

  /**
   * Captures the current state for a snapshot, quickly, on the apply thread: no command is applied
   * while this runs, so what it captures is exactly the state after the last applied command. It
   * must not copy the whole state if that is slow; instead it pins a consistent view that later
   * applies do not disturb (an immutable or persistent map, copy-on-write, a storage engine's
   * point-in-time view) and returns a writer that serialises that view on a background thread
   * while applying continues.
   *
   * @return the writer of the captured state, or {@code null} (the default) if this state
   *     machine does not support snapshots
   */
  default SnapshotWriter captureSnapshot() {
    return null;
  }

  /**
   * Replaces the whole state with a snapshot's, read from {@code in} (exactly the bytes a
   * {@link SnapshotWriter} wrote). Called on the apply thread, at start-up or when the leader
   * sends a snapshot; commands applied afterwards continue from the snapshot's index.
   *
   * @throws IOException if the stream fails or holds something this state machine cannot read;
   *     the node then applies nothing more and retries the load (from a newer stored snapshot if
   *     there is one) with a growing back-off, logging a warning, rather than run with a wrong
   *     state. At start-up the node refuses to start (its build fails with the cause).
   */
  default void restoreSnapshot(InputStream in) throws IOException {
    throw new UnsupportedOperationException(getClass().getName()
        + " does not support snapshots: override captureSnapshot and restoreSnapshot");
  }

  /** Writes a captured state; see {@link #captureSnapshot()}. */
  @FunctionalInterface
  interface SnapshotWriter {
    /**
     * Writes the captured state to {@code out}. Called once, on a background thread, possibly
     * while the apply thread applies later commands.
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * A committed command handed to {@link #applyBatch}, with the index of its entry (which the
   * commands of one client request share; see {@link #apply}).
   */
  record Command(long index, byte[] bytes) {}
}
