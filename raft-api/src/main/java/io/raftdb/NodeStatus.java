package io.raftdb;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * @param membership the group's membership in effect on this node (the newest in its log)
 * @param state where the node is in its life; a stopped node reports {@link Role#FOLLOWER} and
 *     no leader, and the indexes it last knew
 * @param stopCause why a {@link NodeState#STOPPED} node stopped, or empty (running, or closed)
 * @param matchIndexes on a leader, the highest index known replicated on each other member (as
 *     of the last change of the fields above); empty on any other node
 */
public record NodeStatus(NodeId id, Role role, long term, Optional<NodeId> leader,
    long commitIndex, long appliedIndex, long firstLogIndex, long lastLogIndex,
    Membership membership, NodeState state, Optional<Throwable> stopCause,
    Map<NodeId, Long> matchIndexes) {

  /** Freezes the match indexes. */
  public NodeStatus {
    Objects.requireNonNull(membership, "membership");
    matchIndexes = Collections.unmodifiableMap(new LinkedHashMap<>(matchIndexes));
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(stopCause, "stopCause");
  }

  /** Whether the node is running. */
  public boolean isRunning() {
    return state == NodeState.RUNNING;
  }

  /** Whether this node is the leader. */
  public boolean isLeader() {
    return role == Role.LEADER;
  }

  /** The voters in effect, of both voter sets during a joint change. */
  public List<NodeId> members() {
    return List.copyOf(membership.allVoters());
  }
}
