package io.raftdb.message;

import io.raftdb.NodeId;
import java.util.Objects;

/**
 * A follower asks the leader for a read index, to serve a linearizable read itself (thesis
 * §6.4): the leader confirms its leadership as for its own reads and answers with the commit
 * index the read must wait for.
 *
 * @param requestId the follower's id for this read, echoed in the answer
 * @param lease whether the leader may answer from its lease, without a round of heartbeats
 */
public record ReadIndexRequest(long groupId, NodeId from, long term, long requestId,
    boolean lease) implements RaftMessage {
  /** Validates the fields. */
  public ReadIndexRequest {
    Objects.requireNonNull(from, "from");
  }
}
