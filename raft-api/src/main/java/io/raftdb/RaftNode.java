package io.raftdb;

import io.raftdb.message.MembershipChange;
import java.util.Collection;
import io.raftdb.storage.SnapshotInfo;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * One member of a Raft group, running in this process. Made by {@link #builder()}, then
 * {@link #start() started} (attach listeners in between).
 *
 * <p>The futures it returns are completed by RaftDB only: completing or cancelling one from
 * outside throws {@link UnsupportedOperationException}.
 *
 * <p>Threading: every method may be called from any thread and returns without waiting for the
 * network or the disk; results arrive through futures, which complete on RaftDB's threads (use the
 * {@code …Async} continuations for slow work).
 */
public interface RaftNode extends AutoCloseable {

  /** Starts describing a node. */
  static RaftNodeBuilder builder() {
    return new RaftNodeBuilder();
  }

  /** This node's id. */
  NodeId id();

  /**
   * Starts the node: it recovers nothing more (storage was opened by the builder), starts its
   * threads and takes part in the group. Before this, requests fail with
   * {@link IllegalStateException}.
   *
   * @return this node
   * @throws IllegalStateException if called twice, or after {@link #close()}
   */
  RaftNode start();

  /**
   * Proposes a command. On the leader it is appended, replicated, and once committed applied by
   * every node's state machine.
   *
   * <p>The array is not copied: the node holds on to it until the command is applied (and its
   * log may keep it longer), so do not change it after the call.
   *
   * @throws CommandTooLargeException (through the futures) if the command is larger than
   *     {@link RaftConfig#maxCommandBytes()}
   * @throws OverloadedException (through the futures) if this node already holds
   *     {@link RaftConfig#maxPendingProposals()} unapplied proposals, or their bytes
   */
  Proposal propose(byte[] command);

  /**
   * Proposes a command and returns the future of its result on this node: shorthand for
   * {@code propose(command).result()}.
   */
  default CompletableFuture<byte[]> submit(byte[] command) {
    return propose(command).result();
  }

  /**
   * Runs a read-only query against the state machine, as fresh as {@code consistency} demands.
   * {@link ReadConsistency#LINEARIZABLE} and {@link ReadConsistency#LEASE} must be sent to the
   * leader (others fail with {@link NotLeaderException}); {@link ReadConsistency#STALE} is served
   * by any node.
   */
  CompletableFuture<byte[]> query(byte[] query, ReadConsistency consistency);

  /** What this node knows now. Never blocks. */
  NodeStatus status();

  /**
   * Calls {@code listener} on role, term and leader changes and when the node stops, on
   * {@code executor}, one event at a time and in order.
   */
  void addListener(NodeListener listener, Executor executor);

  /** As {@link #addListener(NodeListener, Executor)}, on a thread of this node's own. */
  void addListener(NodeListener listener);

  /**
   * Completes once the node has stopped and its threads have ended: normally after
   * {@link #close()}, exceptionally with the cause if a failure stopped it.
   */
  CompletableFuture<Void> terminated();

  /**
   * Asks the leader (this node) to hand leadership to {@code target} (thesis §3.10): it stops
   * accepting commands, brings the target up to date and tells it to campaign at once. Completes
   * when this node has stepped down, or fails if the target did not take over within an election
   * timeout.
   */
  CompletableFuture<Void> transferLeadership(NodeId target);

  /**
   * Changes the group's membership (thesis chapter 4); call it on the leader. {@code change}
   * computes the next membership from the one in effect on the leader, which accepts one step at
   * a time ({@link Membership#canChangeTo}); for example {@code m -> m.without(id)}. The change
   * takes effect on each node as soon as its entry is in that node's log.
   *
   * @return completes with the new membership once its entry is committed and applied on this
   *     node; fails with {@link NotLeaderException} on a follower, with
   *     {@link MembershipChangeException} if the leader refused (another change is uncommitted,
   *     or the leader has not yet committed an entry of its term: retry shortly), or with what
   *     {@code change} threw (an {@link IllegalArgumentException} from {@link Membership}'s
   *     methods for a change that makes no sense, such as removing a non-member)
   */
  CompletableFuture<Membership> changeMembership(UnaryOperator<Membership> change);

  /**
   * Adds {@code id} as a voter, safely: it joins as a learner (start it with
   * {@link RaftNodeBuilder#joining()}), receives the log or a snapshot, and the leader promotes
   * it once it trails by at most {@link RaftConfig#promotionLag()} entries (thesis §4.2.1).
   *
   * @return completes once the promotion is committed and applied on this node, or fails as
   *     {@link #changeMembership} does, or if the learner was removed before its promotion
   */
  CompletableFuture<Membership> addVoter(NodeId id);

  /**
   * Carries out an operator's change, as {@code bin/raftdb members} sends it: adds, promotes or
   * removes a member (as the methods here do; an added member's address, if any, travels with the
   * change, so that every member's transport learns it), or hands leadership over.
   *
   * @return completes with the membership in effect afterwards, as {@link #addVoter},
   *     {@link #changeMembership} or {@link #transferLeadership} complete
   */
  CompletableFuture<Membership> changeMembership(MembershipChange change);

  /** Adds {@code id} as a learner that stays one: it receives the log but never votes. */
  default CompletableFuture<Membership> addLearner(NodeId id) {
    return changeMembership(m -> m.withLearner(id, false));
  }

  /** Makes learner {@code id} a voter now, caught up or not. */
  default CompletableFuture<Membership> promote(NodeId id) {
    return changeMembership(m -> m.withPromoted(id));
  }

  /**
   * Removes member {@code id}. A removed leader steps down once its removal is committed; a
   * removed node no longer campaigns, and the others ignore it while they hear from a leader.
   */
  default CompletableFuture<Membership> removeMember(NodeId id) {
    return changeMembership(m -> m.without(id));
  }

  /**
   * Replaces the voters by {@code voters}: in one step if they differ by at most one, else
   * through a joint change that the leader leaves by itself (thesis §4.3). New voters should
   * have caught up as learners first, or the group may be unable to commit until they have.
   *
   * @return completes once the group has exactly these voters, committed and applied on this
   *     node; or fails as {@link #changeMembership} does
   */
  CompletableFuture<Membership> changeVoters(Collection<NodeId> voters);

  /**
   * Takes a snapshot of the state machine now, because the application asks (the labs'
   * {@code Snapshot(index)}), besides those that {@link RaftConfig#snapshotThreshold()} brings.
   * Once it is durable, the log before it is discarded, as after any snapshot.
   *
   * <p>Called from inside {@link StateMachine#apply}, the state is captured right after that
   * command, before the next one is applied, so the snapshot's index is exactly that command's.
   * (A state machine that overrides {@link StateMachine#applyBatch} is not interrupted inside its
   * batch: the capture follows the whole batch, at its last index.) Called from anywhere else,
   * the state is captured at the node's applied index as soon as its apply thread is free.
   *
   * <p>The capture ({@link StateMachine#captureSnapshot}) runs on the apply thread and the write
   * on a background thread, so the future completes after the call has returned; it completes on
   * the background thread. Never wait for it on the apply thread (inside {@code apply}, say): the
   * snapshot cannot be taken until that thread moves on, so the wait would never end. Snapshots
   * are written one at a time: one requested meanwhile is captured at once and written next; if
   * several wait, only the newest is written, and every caller gets it, as it covers them all.
   *
   * @return completes with the snapshot saved for this request, whose index is the one asked for
   *     or, if a newer snapshot served the request, later; fails with
   *     {@link IllegalStateException} if the node is not started, has no snapshot storage or has
   *     applied nothing yet, with {@link UnsupportedOperationException} if the state machine takes
   *     no snapshots ({@link StateMachine#captureSnapshot} returns {@code null}), with the storage's
   *     or the state machine's exception if capturing or writing fails, and with
   *     {@link NodeClosedException} if the node stops first
   */
  CompletableFuture<SnapshotInfo> takeSnapshot();

  /**
   * Stops the node: its threads end, its transport and storage close, and pending futures fail
   * with {@link NodeClosedException}. Nothing is synced that was not already. Idempotent.
   */
  @Override
  void close();
}
