package io.raftdb.message;

import io.raftdb.NodeId;
import java.util.Objects;

/**
 * The leader's answer to a {@link ReadIndexRequest}.
 *
 * @param requestId the request's id
 * @param granted whether the leader confirmed the read; a node that is not (or no longer) the
 *     leader refuses, and the follower fails the read so that its client can retry
 * @param readIndex with {@code granted}: the index the follower must have applied before it
 *     serves the read; otherwise 0
 */
public record ReadIndexResponse(long groupId, NodeId from, long term, long requestId,
    boolean granted, long readIndex) implements RaftMessage {
  /** Validates the fields. */
  public ReadIndexResponse {
    Objects.requireNonNull(from, "from");
    if (granted ? readIndex < 1 : readIndex != 0) {
      throw new IllegalArgumentException("a granted read index is at least 1, a refused one 0;"
          + " got " + readIndex + (granted ? " granted" : " refused"));
    }
  }
}
