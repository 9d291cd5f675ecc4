package io.raftdb.message;

import io.raftdb.NodeId;
import java.util.Objects;

/**
 * The answer to a {@link RequestVote}.
 *
 * @param term for a vote, the voter's current term; for a pre-vote, the term of the request when
 *     granted (so the pre-candidate can match it) and the voter's term when refused
 * @param granted whether the vote (or pre-vote) is granted
 * @param preVote whether this answers a pre-vote
 */
public record RequestVoteResponse(long groupId, NodeId from, long term, boolean granted,
    boolean preVote) implements RaftMessage {
  /** Validates the fields. */
  public RequestVoteResponse {
    Objects.requireNonNull(from, "from");
  }
}
