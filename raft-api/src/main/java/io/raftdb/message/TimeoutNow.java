package io.raftdb.message;

import io.raftdb.NodeId;
import java.util.Objects;

/**
 * The leader tells an up-to-date follower to start an election at once, handing leadership over
 * to it (thesis §3.10).
 */
public record TimeoutNow(long groupId, NodeId from, long term) implements RaftMessage {
  /** Validates the fields. */
  public TimeoutNow {
    Objects.requireNonNull(from, "from");
  }
}
