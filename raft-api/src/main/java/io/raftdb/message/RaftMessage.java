package io.raftdb.message;

import io.raftdb.NodeId;

/**
 * A message between members of a Raft group. Every message names its sender and its group, so
 * that many groups can share one transport, and carries the sender's current term.
 *
 * <p>Messages are immutable values; {@link MessageCodec} turns them into bytes and back.
 */
public sealed interface RaftMessage
    permits RequestVote, RequestVoteResponse, AppendEntries, AppendEntriesResponse, TimeoutNow,
        InstallSnapshot, InstallSnapshotResponse {

  /** The Raft group this message belongs to. */
  long groupId();

  /** The member that sent it. */
  NodeId from();

  /** The sender's term (for a pre-vote request: the term it would campaign in). */
  long term();

  /**
   * Whether this message asks for an answer. Requests count as RPCs in the simulated network's
   * statistics, as the labs' {@code labrpc} counts calls; responses ride on them.
   */
  default boolean isRequest() {
    return this instanceof RequestVote || this instanceof AppendEntries || this instanceof TimeoutNow
        || this instanceof InstallSnapshot;
  }
}
