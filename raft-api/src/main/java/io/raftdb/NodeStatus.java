package io.raftdb;

import java.util.List;
import java.util.Optional;

/**
 * A consistent snapshot of what one node knows, as of the end of its last event-loop step.
 *
 * @param id the node
 * @param role its role
 * @param term its current term
 * @param leader the leader it knows of in {@code term}, if any
 * @param commitIndex the highest index it knows to be committed
 * @param appliedIndex the highest index its state machine has applied
 * @param firstLogIndex the first index its log still holds
 * @param lastLogIndex the last index in its log
 * @param members the voting members of the group
 */
public record NodeStatus(NodeId id, Role role, long term, Optional<NodeId> leader,
    long commitIndex, long appliedIndex, long firstLogIndex, long lastLogIndex,
    List<NodeId> members) {

  /** Freezes the member list. */
  public NodeStatus {
    members = List.copyOf(members);
  }

  /** Whether this node is the leader. */
  public boolean isLeader() {
    return role == Role.LEADER;
  }
}
