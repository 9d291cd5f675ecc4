package io.raftdb;

import java.util.Optional;

/**
 * The node asked to accept a command or a linearizable read is not the leader. The command was
 * not appended; retrying it on {@link #leaderHint()} (when present) is safe.
 */
public class NotLeaderException extends RaftException {
  private static final long serialVersionUID = 1L;
  private final transient NodeId leaderHint;

  /**
   * @param self the node that refused
   * @param leaderHint the leader this node last heard from, or {@code null} when it knows none
   */
  public NotLeaderException(NodeId self, NodeId leaderHint) {
    super(self + " is not the leader" + (leaderHint == null ? "; leader unknown" : "; try " + leaderHint));
    this.leaderHint = leaderHint;
  }

  /** The leader this node last heard from, if it knows one. */
  public Optional<NodeId> leaderHint() {
    return Optional.ofNullable(leaderHint);
  }
}
