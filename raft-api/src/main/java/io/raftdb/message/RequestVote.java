package io.raftdb.message;

import io.raftdb.NodeId;
import java.util.Objects;

/**
 * A candidate asks for a vote (thesis §3.4), or a pre-candidate asks whether it could win one
 * without disturbing anybody's term (pre-vote, thesis §9.6).
 *
 * @param lastLogIndex index of the candidate's last entry, for the election restriction (§3.6.1)
 * @param lastLogTerm term of the candidate's last entry
 * @param preVote a pre-vote probe: grants change no state
 * @param leadershipTransfer sent on the old leader's request (TimeoutNow): voters must not ignore
 *     it on the grounds that they heard from a leader recently
 */
public record RequestVote(long groupId, NodeId from, long term, long lastLogIndex,
    long lastLogTerm, boolean preVote, boolean leadershipTransfer) implements RaftMessage {
  /** Validates the fields. */
  public RequestVote {
    Objects.requireNonNull(from, "from");
  }
}
