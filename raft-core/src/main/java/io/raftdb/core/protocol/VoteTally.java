package io.raftdb.core.protocol;

import io.raftdb.NodeId;
import java.util.HashSet;
import java.util.Set;

/** The votes (or pre-votes) of one campaign, counted toward a majority (thesis §3.4). */
final class VoteTally {
  /** Where a campaign stands. */
  enum Outcome { WON, LOST, PENDING }

  private final Set<NodeId> granted = new HashSet<>();
  private final Set<NodeId> refused = new HashSet<>();
  private final int majority;

  VoteTally(int voters) {
    this.majority = Quorum.majority(voters);
  }

  /** Starts a campaign in which the candidate votes for itself. */
  Outcome start(NodeId self) {
    clear();
    return record(self, true);
  }

  /** Records one voter's answer (the first answer of each voter counts). */
  Outcome record(NodeId voter, boolean grant) {
    if (!granted.contains(voter) && !refused.contains(voter)) {
      (grant ? granted : refused).add(voter);
    }
    if (granted.size() >= majority) {
      return Outcome.WON;
    }
    return refused.size() >= majority ? Outcome.LOST : Outcome.PENDING;
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
