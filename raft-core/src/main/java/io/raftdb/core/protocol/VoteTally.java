package io.raftdb.core.protocol;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import java.util.HashSet;
import java.util.Set;

/**
 * The votes (or pre-votes) of one campaign, counted toward a majority of the voters (thesis
 * §3.4), of both voter sets during a joint change (§4.3). Answers of non-voters are ignored.
 */
final class VoteTally {
  /** Where a campaign stands. */
  enum Outcome { WON, LOST, PENDING }

  private final Set<NodeId> granted = new HashSet<>();
  private final Set<NodeId> refused = new HashSet<>();
  private Membership membership = Membership.NONE;

  /** Starts a campaign among the voters of {@code m}, in which the candidate votes for itself. */
  Outcome start(NodeId self, Membership m) {
    clear();
    membership = m;
    return record(self, true);
  }

  /** Records one voter's answer (the first answer of each voter counts). */
  Outcome record(NodeId voter, boolean grant) {
    if (membership.isVoter(voter) && !granted.contains(voter) && !refused.contains(voter)) {
      (grant ? granted : refused).add(voter);
    }
    if (won(membership.voters())
        && (!membership.isJoint() || won(membership.outgoingVoters()))) {
      return Outcome.WON;
    }
    return lost(membership.voters()) || lost(membership.outgoingVoters())
        ? Outcome.LOST : Outcome.PENDING;
  }

  private boolean won(Set<NodeId> voters) {
    return count(voters, granted) >= Quorum.majority(voters.size());
  }

  private boolean lost(Set<NodeId> voters) {
    return !voters.isEmpty() && count(voters, refused) >= Quorum.majority(voters.size());
  }

  private static int count(Set<NodeId> voters, Set<NodeId> answered) {
    int n = 0;
    for (NodeId id : answered) {
      if (voters.contains(id)) {
        n++;
      }
    }
    return n;
  }

  /** The voters that granted, for the new leader's first check-quorum period. */
  Set<NodeId> granted() {
    return granted;
  }

  void clear() {
    granted.clear();
    refused.clear();
  }
}
