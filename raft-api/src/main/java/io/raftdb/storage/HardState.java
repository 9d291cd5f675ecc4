package io.raftdb.storage;

import io.raftdb.NodeId;

/**
 * The part of a node's state that must survive a crash besides the log: its current term and
 * whom it voted for in that term (thesis §3.8).
 *
 * @param term the current term, 0 at first
 * @param votedFor the candidate voted for in {@code term}, or {@code null}
 */
public record HardState(long term, NodeId votedFor) {
  /** The state of a node that never ran. */
  public static final HardState INITIAL = new HardState(0, null);

  /** Validates the term. */
  public HardState {
    if (term < 0) {
      throw new IllegalArgumentException("negative term " + term);
    }
  }
}
