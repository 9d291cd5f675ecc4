package io.raftdb.message;

import io.raftdb.NodeId;
import java.util.Objects;

/**
 * A follower's answer to an {@link InstallSnapshot} chunk.
 *
 * @param snapshotIndex the snapshot being answered about
 * @param nextOffset the offset of the next chunk the follower expects (so the leader resumes from
 *     there after a lost chunk or message)
 * @param done whether the follower has installed the whole snapshot: its log now continues from
 *     {@code snapshotIndex}
 */
public record InstallSnapshotResponse(long groupId, NodeId from, long term, long snapshotIndex,
    long nextOffset, boolean done) implements RaftMessage {
  /** Validates the fields. */
  public InstallSnapshotResponse {
    Objects.requireNonNull(from, "from");
  }
}
