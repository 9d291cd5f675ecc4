package io.raftdb;

/**
 * The node was closed (or stopped after a fatal storage error) before the operation finished.
 * A command that was already appended may still be committed by the rest of the group.
 */
public class NodeClosedException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** An exception naming the closed node. */
  public NodeClosedException(NodeId node) {
    super("node " + node + " is closed");
  }

  /** An exception naming the closed node and why it stopped. */
  public NodeClosedException(NodeId node, Throwable cause) {
    super("node " + node + " stopped: " + cause, cause);
  }
}
