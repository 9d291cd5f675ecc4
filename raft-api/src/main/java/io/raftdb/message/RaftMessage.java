package io.raftdb.message;

import io.raftdb.NodeId;

/**
 * A message between members of a Raft group, or between a client and a member. Every message
 * names its sender and its group, so that many groups can share one transport, and members'
 * messages carry the sender's current term.
 *
 * <p>Messages are immutable values; {@link MessageCodec} turns them into bytes and back.
 */
public sealed interface RaftMessage
    permits RequestVote, RequestVoteResponse, AppendEntries, AppendEntriesResponse, TimeoutNow,
        InstallSnapshot, InstallSnapshotResponse, ReadIndexRequest, ReadIndexResponse,
        ClientRequest, ClientReply {

  /** The Raft group this message belongs to. */
  long groupId();

  /** The member or client that sent it. */
  NodeId from();

  /**
   * The sender's term (for a pre-vote request: the term it would campaign in); 0 for the
   * messages between clients and nodes, which take no part in terms.
   */
  long term();

  /** Whether this message passes between a client and a node rather than between members. */
  default boolean isClientMessage() {
    return this instanceof ClientRequest || this instanceof ClientReply;
  }

  /**
   * Whether this message asks for an answer. Requests count as RPCs in the simulated network's
   * statistics, as the labs' {@code labrpc} counts calls; responses ride on them.
   */
  default boolean isRequest() {
    return this instanceof RequestVote || this instanceof AppendEntries || this instanceof TimeoutNow
        || this instanceof InstallSnapshot || this instanceof ReadIndexRequest
        || this instanceof ClientRequest;
  }
}
