package io.raftdb.core.runtime;

import io.raftdb.ReadConsistency;

/**
 * A read-only query. A {@link ReadConsistency#STALE} one goes straight to the apply thread; the
 * others first get a read index from the leader, and the apply thread runs them once it has
 * applied up to that index (thesis §6.4).
 */
final class ReadRequest implements LoopRequest {
  final byte[] query;
  final ReadConsistency consistency;
  final NodeFuture<byte[]> future = new NodeFuture<>();
  /** When it was made ({@link System#nanoTime}), to bound its wait for the apply thread. */
  final long arrivedAtNanos = System.nanoTime();
  /**
   * The index the state machine must have applied before the query runs (0 for a stale read).
   * Written by the event loop before it hands the request to the apply thread.
   */
  long readIndex;

  ReadRequest(byte[] query, ReadConsistency consistency) {
    this.query = query;
    this.consistency = consistency;
  }

  @Override
  public void fail(Throwable cause) {
    future.settleExceptionally(cause);
  }
}
