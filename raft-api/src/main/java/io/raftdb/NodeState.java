package io.raftdb;

/** Where a node is in its life; see {@link NodeStatus#state()}. */
public enum NodeState {
  /** Built; {@link RaftNode#start()} not called yet. Takes no requests. */
  STARTING,
  /** Running: taking part in the group. */
  RUNNING,
  /**
   * Stopped for good: closed, or stopped by a failure ({@link NodeStatus#stopCause()} says which).
   * Its threads are ending or have ended.
   */
  STOPPED
}
