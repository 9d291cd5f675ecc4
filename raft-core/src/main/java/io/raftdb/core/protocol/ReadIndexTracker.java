package io.raftdb.core.protocol;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * A leader's linearizable reads on their way to confirmation (ReadIndex, thesis §6.4). A read
 * records the commit index when it arrives, then waits until a quorum has answered a message
 * round sent after it, which proves that no newer leader existed at that moment. Reads that
 * arrive before the leader has committed an entry of its own term wait for that first, because
 * until then its commit index may be behind the group's.
 */
final class ReadIndexTracker {
  private record Pending(long requestId, long index, long round) {}

  private final ArrayList<Long> awaitingCommit = new ArrayList<>();
  private final ArrayList<Pending> awaitingRound = new ArrayList<>();
  private final ArrayDeque<Pending> awaitingQuorum = new ArrayDeque<>();

  /** A read that cannot be indexed yet: the leader has no commit in its term. */
  void awaitCommit(long requestId) {
    awaitingCommit.add(requestId);
  }

  /** A read at commit index {@code index}, to be confirmed by the next round. */
  void awaitRound(long requestId, long index) {
    awaitingRound.add(new Pending(requestId, index, 0));
  }

  /** The leader has committed in its term: index the reads that waited for it. */
  void commitReached(long commitIndex) {
    for (long id : awaitingCommit) {
      awaitRound(id, commitIndex);
    }
    awaitingCommit.clear();
  }

  /** Whether some reads need a new round of messages to be confirmed. */
  boolean needsRound() {
    return !awaitingRound.isEmpty();
  }

  /** The reads waiting for a round are covered by {@code round}, just being sent. */
  void roundSent(long round) {
    for (Pending p : awaitingRound) {
      awaitingQuorum.add(new Pending(p.requestId(), p.index(), round));
    }
    awaitingRound.clear();
  }

  /**
   * Moves to {@code out} every read whose round a quorum has answered, in arrival order.
   *
   * @param quorumAcked tells whether a quorum has answered a given round
   */
  void confirm(LongPredicate quorumAcked, List<ReadState> out) {
    while (!awaitingQuorum.isEmpty() && quorumAcked.test(awaitingQuorum.peekFirst().round())) {
      Pending p = awaitingQuorum.pollFirst();
      out.add(new ReadState(p.requestId(), p.index()));
    }
  }

  /** Leadership is lost: every read still waiting goes to {@code out}. */
  void dropAll(List<Long> out) {
    out.addAll(awaitingCommit);
    for (Pending p : awaitingRound) {
      out.add(p.requestId());
    }
    for (Pending p : awaitingQuorum) {
      out.add(p.requestId());
    }
    awaitingCommit.clear();
    awaitingRound.clear();
    awaitingQuorum.clear();
  }
}
