package io.raftdb;

import java.util.concurrent.CompletableFuture;

/**
 * One member of a Raft group, running in this process. Made by {@link #builder()}.
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
   * Proposes a command. On the leader it is appended, replicated, and once committed applied by
   * every node's state machine.
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
