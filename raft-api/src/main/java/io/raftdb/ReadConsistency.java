package io.raftdb;

/** How fresh the state a {@link RaftNode#query} reads must be (thesis §6.4). */
public enum ReadConsistency {
  /**
   * Linearizable: the read reflects every command committed before it was issued. The leader
   * confirms it is still leader with a round of heartbeats (ReadIndex, thesis §6.4).
   */
  LINEARIZABLE,
  /**
   * Linearizable as long as clocks drift less than the configured bound: the leader answers
   * without a round trip while its lease, renewed by a quorum's acknowledgements, holds
   * (thesis §6.4.1). Falls back to {@link #LINEARIZABLE} when the lease has expired.
   */
  LEASE,
  /** Whatever this node has applied; may be arbitrarily stale. Served by any node. */
  STALE
}
