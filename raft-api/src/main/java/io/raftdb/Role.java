package io.raftdb;

/** The role a node currently plays in its Raft group (thesis §3.3). */
public enum Role {
  /** Passive: answers leaders and candidates, starts an election when the leader falls silent. */
  FOLLOWER,
  /** Asking peers whether an election could succeed, without raising its term (thesis §9.6). */
  PRE_CANDIDATE,
  /** Asking peers for votes in a new term. */
  CANDIDATE,
  /** Accepts commands, replicates the log and decides what is committed. */
  LEADER
}
