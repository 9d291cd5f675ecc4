package io.raftdb.sim.dst;

/** The groups of properties the simulator checks; a failure names the one that broke. */
public enum InvariantFamily {
  /** At most one leader per term, over the whole run (thesis §3.4). */
  ELECTION_SAFETY,
  /**
   * Two entries with the same index and term hold the same command and follow identical logs
   * (thesis §3.5), checked for every entry any node ever wrote.
   */
  LOG_MATCHING,
  /** An entry committed in a term is in the log of every leader of a later term (§3.6). */
  LEADER_COMPLETENESS,
  /**
   * No two nodes commit or apply different entries at one index, and the state machine's value
   * after each index is the same everywhere (§3.6.3); a snapshot (taken, received or restored)
   * holds exactly the state every node had after its index, and covers a committed entry.
   */
  STATE_MACHINE_SAFETY,
  /**
   * Within one life of a node, its commit index never decreases and it applies in order; its
   * applied index never goes back, and jumps only forward, to a snapshot it restores.
   */
  MONOTONIC_INDEXES,
  /** The persisted term never decreases and the persisted vote never changes within a term. */
  DURABLE_HARD_STATE,
  /**
   * A node drops log entries only once a durable snapshot covers them (chapter 5), so that a
   * restarted node finds its newest snapshot and a log that continues from it.
   */
  COMPACTION_SAFETY,
  /** A confirmed read sees every command known committed before it was issued (§6.4). */
  LINEARIZABLE_READS,
  /**
   * A node's membership is the newest one its log holds (its snapshot's if the log holds none
   * after it): checked after every event at which the node has written all it appended.
   */
  MEMBERSHIP_FROM_LOG,
  /** After the faults heal, a leader is elected and a fresh command commits on every node. */
  LIVENESS,
  /**
   * The protocol threw an exception (its own internal assertions count as failures), or dropped
   * as invalid a message that an honest node sent.
   */
  PROTOCOL_ERROR
}
