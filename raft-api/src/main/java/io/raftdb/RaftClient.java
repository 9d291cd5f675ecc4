package io.raftdb;

import io.raftdb.message.MembershipChange;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A remote client of a Raft group, over any transport: it finds the leader, follows redirects,
 * retries with back-off and jitter until each call's deadline, and runs its commands in a client
 * session (thesis §6.3) so that a command retried after a lost reply, a timeout or a leader
 * change is applied exactly once. Made by {@link #builder()}.
 *
 * <p>Outcomes: a command's future completes with the state machine's result, or fails with
 * {@link RequestTimeoutException} or {@link SessionExpiredException} (the command may or may not
 * have been applied, and never will be later), {@link RequestRejectedException} (it was not
 * applied and never can be), {@link OverloadedException} (too many calls outstanding on this
 * client; nothing was sent) or {@link ClientClosedException}.
 *
 * <p>Threading: every method may be called from any thread and returns at once; futures complete
 * on the client's own threads (use the {@code …Async} continuations for slow work).
 */
public interface RaftClient extends AutoCloseable {

  /** Starts describing a client. */
  static RaftClientBuilder builder() {
    return new RaftClientBuilder();
  }

  /**
   * Applies a command exactly once (at most once if it fails with an outcome-unknown error) and
   * returns the state machine's result. Commands of one client may be in flight together; they
   * are applied in the order the leader receives them, which for commands sent from one thread
   * one after the other is their order.
   */
  CompletableFuture<byte[]> submit(byte[] command);

  /**
   * Runs a read-only query, never through the log, as fresh as {@code consistency} demands. Any
   * member serves it: a follower serves a linearizable read after asking the leader for its read
   * index.
   */
  CompletableFuture<byte[]> query(byte[] query, ReadConsistency consistency);

  /** As {@link #query(byte[], ReadConsistency)}, linearizable. */
  default CompletableFuture<byte[]> query(byte[] query) {
    return query(query, ReadConsistency.LINEARIZABLE);
  }

  /**
   * The status of one member, as that member reports it (its role, term, the leader it knows,
   * its indexes; a leader adds each follower's match index). Never redirected: a member that
   * cannot be reached fails the call at its deadline.
   */
  CompletableFuture<NodeStatus> status(NodeId member);

  /**
   * Asks the group's leader to change its membership or hand leadership over (see
   * {@link RaftNode#changeMembership(MembershipChange)}); redirected and retried like a command
   * while the group has no leader or the leader refuses for a passing reason.
   *
   * @return completes with the membership in effect afterwards; fails with
   *     {@link RequestRejectedException} if the change makes no sense (a member added twice, a
   *     non-member removed), or at the call's deadline
   */
  CompletableFuture<Membership> changeMembership(MembershipChange change);

  /** The leader this client last heard of, if any. */
  Optional<NodeId> leader();

  /** The id of this client's session, or 0 before it has one. */
  long sessionId();

  /**
   * Ends the session (best effort: an unreachable group lets it expire), fails what is still
   * outstanding with {@link ClientClosedException} and releases the transport. Idempotent.
   */
  @Override
  void close();
}
