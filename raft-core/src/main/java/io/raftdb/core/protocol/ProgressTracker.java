package io.raftdb.core.protocol;

import io.raftdb.NodeId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A leader's view of its followers: one {@link Progress} each, and the quorum questions asked of
 * them (what a majority has replicated, who has been heard from, who answered a round). The
 * leader itself counts as one voter with its own durable index.
 */
final class ProgressTracker {
  private final Map<NodeId, Progress> followers = new LinkedHashMap<>();
  private final int voters;
  private final long[] matchScratch;

  ProgressTracker(int voters) {
    this.voters = voters;
    this.matchScratch = new long[voters];
  }

  /**
   * Starts tracking every member but {@code self} from {@code nextIndex}; those in
   * {@code activeVoters} (who just voted for us) count as recently heard from.
   */
  void start(List<NodeId> members, NodeId self, long nextIndex, int maxInflight,
      Set<NodeId> activeVoters) {
    followers.clear();
    for (NodeId peer : members) {
      if (!peer.equals(self)) {
        Progress p = new Progress(nextIndex, maxInflight);
        p.recentlyActive = activeVoters.contains(peer);
        followers.put(peer, p);
      }
    }
  }

  void clear() {
    followers.clear();
  }

  /** The follower's progress, or {@code null} if it is not a follower of ours. */
  Progress get(NodeId peer) {
    return followers.get(peer);
  }

  Set<Map.Entry<NodeId, Progress>> entries() {
    return followers.entrySet();
  }

  Collection<Progress> all() {
    return followers.values();
  }

  /** The highest index a majority holds durably, counting the leader's {@code ownDurable}. */
  long majorityMatch(long ownDurable) {
    int i = 0;
    matchScratch[i++] = ownDurable;
    for (Progress p : followers.values()) {
      matchScratch[i++] = p.matchIndex;
    }
    return Quorum.committedBy(matchScratch);
  }

  /** Whether a majority (the leader included) was heard from since the last reset. */
  boolean quorumRecentlyActive() {
    int active = 1;
    for (Progress p : followers.values()) {
      if (p.recentlyActive) {
        active++;
      }
    }
    return active >= Quorum.majority(voters);
  }

  /** Starts a new check-quorum period. */
  void resetRecentlyActive() {
    for (Progress p : followers.values()) {
      p.recentlyActive = false;
    }
  }

  /** Whether a majority (the leader included) has answered message round {@code round}. */
  boolean quorumAnswered(long round) {
    int answered = 1;
    for (Progress p : followers.values()) {
      if (p.ackedRound >= round) {
        answered++;
      }
    }
    return answered >= Quorum.majority(voters);
  }
}
