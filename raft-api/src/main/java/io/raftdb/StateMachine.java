package io.raftdb;

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
 * implementation needs no locking of its own.
 */
public interface StateMachine {

  /**
   * Applies one committed command and returns its result, which completes the future of the
   * {@link RaftNode#submit} call that proposed it (on the node that proposed it).
   *
   * @param index the command's log index; strictly increasing from call to call
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

  /** A committed command handed to {@link #applyBatch}. */
  record Command(long index, byte[] bytes) {}
}
