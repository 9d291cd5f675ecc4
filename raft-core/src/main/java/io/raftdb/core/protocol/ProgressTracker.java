package io.raftdb.core.protocol;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A leader's view of the other members: one {@link Progress} each, voter or learner, and the
 * quorum questions asked of the voters (what a majority has replicated, who has been heard from,
 * who answered a round). During a joint change every answer needs a majority of both voter sets
 * (thesis §4.3). The leader counts as a voter with its own durable index while it is one.
 */
final class ProgressTracker {
  private final Map<NodeId, Progress> peers = new LinkedHashMap<>();
  private final NodeId self;
  private Membership membership = Membership.NONE;
  private long[] incomingScratch = new long[0];
  private long[] outgoingScratch = new long[0];

  ProgressTracker(NodeId self) {
    this.self = self;
  }

  /**
   * Starts tracking every member of {@code m} but this node from {@code nextIndex}; those in
   * {@code activeVoters} (who just voted for us) count as recently heard from.
   */
  void start(Membership m, long nextIndex, int maxInflight, Set<NodeId> activeVoters) {
    peers.clear();
    update(m, nextIndex, maxInflight);
    for (Map.Entry<NodeId, Progress> e : peers.entrySet()) {
      e.getValue().recentlyActive = activeVoters.contains(e.getKey());
    }
  }

  /**
   * Follows a membership change: new members are probed from {@code nextIndex}, members that
   * left are forgotten, the others keep their progress.
   */
  void update(Membership m, long nextIndex, int maxInflight) {
    membership = m;
    peers.keySet().removeIf(peer -> !m.contains(peer));
    for (NodeId peer : m.members()) {
      if (!peer.equals(self) && !peers.containsKey(peer)) {
        peers.put(peer, new Progress(nextIndex, maxInflight));
      }
    }
    incomingScratch = new long[m.voters().size()];
    outgoingScratch = new long[m.outgoingVoters().size()];
  }

  void clear() {
    peers.clear();
  }

  /** The member's progress, or {@code null} if it is not a member we replicate to. */
  Progress get(NodeId peer) {
    return peers.get(peer);
  }

  Set<Map.Entry<NodeId, Progress>> entries() {
    return peers.entrySet();
  }

  Collection<Progress> all() {
    return peers.values();
  }

  /** The highest index a majority holds durably, counting the leader's {@code ownDurable}. */
  long majorityMatch(long ownDurable) {
    long incoming = committedBy(membership.voters(), incomingScratch, ownDurable);
    if (!membership.isJoint()) {
      return incoming;
    }
    return Math.min(incoming,
        committedBy(membership.outgoingVoters(), outgoingScratch, ownDurable));
  }

  /** Whether a majority (the leader included) was heard from since the last reset. */
  boolean quorumRecentlyActive() {
    return quorum(p -> p.recentlyActive);
  }

  /** Starts a new check-quorum period. */
  void resetRecentlyActive() {
    for (Progress p : peers.values()) {
      p.recentlyActive = false;
    }
  }

  /** Whether a majority (the leader included) has answered message round {@code round}. */
  boolean quorumAnswered(long round) {
    return quorum(p -> p.ackedRound >= round);
  }

  private boolean quorum(Predicate<Progress> yes) {
    return majority(membership.voters(), yes)
        && (!membership.isJoint() || majority(membership.outgoingVoters(), yes));
  }

  private boolean majority(Set<NodeId> voters, Predicate<Progress> yes) {
    int count = 0;
    for (NodeId id : voters) {
      Progress p;
      if (id.equals(self) || ((p = peers.get(id)) != null && yes.test(p))) {
        count++;
      }
    }
    return count >= Quorum.majority(voters.size());
  }

  private long committedBy(Set<NodeId> voters, long[] scratch, long ownDurable) {
    int i = 0;
    for (NodeId id : voters) {
      Progress p;
      scratch[i++] = id.equals(self) ? ownDurable : (p = peers.get(id)) == null ? 0 : p.matchIndex;
    }
    return Quorum.committedBy(scratch);
  }
}
