package io.raftdb;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

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
   * Stops the node: its threads end, its transport and storage close, and pending futures fail
   * with {@link NodeClosedException}. Nothing is synced that was not already. Idempotent.
   */
  @Override
  void close();
}
