package io.raftdb.message;

import io.raftdb.NodeId;
import java.util.Objects;

/**
 * A follower's answer to {@link AppendEntries}. It is sent only once the entries it acknowledges
 * are durable on the follower.
 *
 * <p>On a refusal the follower helps the leader skip back over a whole conflicting term at once
 * instead of one entry per round trip (the optimisation at the end of thesis §5.3): the leader
 * resumes from {@code conflictIndex}, or from just past its own last entry of
 * {@code conflictTerm} if it has any.
 *
 * @param success whether the follower's log matched at {@code prevLogIndex}
 * @param matchIndex on success, the last index known to match the leader's log; on a refusal, the
 *     {@code prevLogIndex} that was refused (so that the leader can recognise a stale refusal)
 * @param conflictTerm on a refusal, the term of the follower's entry at {@code prevLogIndex}, or 0
 *     when its log is shorter than that
 * @param conflictIndex on a refusal, the first index the follower holds of {@code conflictTerm},
 *     or its last index + 1 when its log is too short
 * @param round the {@link AppendEntries#round()} being answered
 */
public record AppendEntriesResponse(long groupId, NodeId from, long term, boolean success,
    long matchIndex, long conflictTerm, long conflictIndex, long round) implements RaftMessage {
  /** Validates the fields. */
  public AppendEntriesResponse {
    Objects.requireNonNull(from, "from");
  }
}
