package io.raftdb;

import java.util.Optional;

/**
 * Hears about changes in one node's view of the group. Attach with
 * {@link RaftNode#addListener}, before {@link RaftNode#start()} to miss nothing.
 *
 * <p>Each listener gets its events one at a time and in the order they happened, on the executor
 * it was attached with; a slow listener delays only its own later events, never the node. Every
 * method does nothing by default.
 */
public interface NodeListener {

  /** The node's role changed (its term may have changed with it). */
  default void roleChanged(Role role, long term) {}

  /** The node's term changed. */
  default void termChanged(long term) {}

  /**
   * The leader this node knows of changed: a new one is known, or none is ({@code leader}
   * empty, as during an election).
   */
  default void leaderChanged(Optional<NodeId> leader, long term) {}

  /**
   * The node stopped: {@code cause} is empty after {@link RaftNode#close()}, or the failure that
   * stopped it (a storage error, a state machine that threw). The last event a listener gets.
   */
  default void stopped(Optional<Throwable> cause) {}
}
