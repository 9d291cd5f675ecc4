package io.raftdb;

import io.raftdb.storage.SnapshotInfo;
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
