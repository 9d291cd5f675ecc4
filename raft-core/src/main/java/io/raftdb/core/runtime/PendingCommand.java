package io.raftdb.core.runtime;

import io.raftdb.CommandDroppedException;
import io.raftdb.LogPosition;
import io.raftdb.Membership;
import io.raftdb.Proposal;
import io.raftdb.RaftException;
import io.raftdb.message.EntryKind;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.UnaryOperator;

/**
 * A proposed command, from its arrival in the input queue until its result is known: the event
 * loop appends it and remembers it by index; when its index is committed the apply thread
 * completes its result.
 */
final class PendingCommand implements LoopRequest {
  final EntryKind kind;
  final byte[] command;
  /** For a {@link EntryKind#MEMBERSHIP} entry: the change, applied to the membership in effect. */
  final UnaryOperator<Membership> membershipChange;
  /** What {@link io.raftdb.RaftNode#propose} returns, or {@code null} (see {@link #of}). */
  final Proposal proposal;
  /** When it was proposed ({@link System#nanoTime}), for the commit latency. */
  final long proposedAtNanos = System.nanoTime();
  /** Settled when appended; {@code null} when nobody asked for the position. */
  private final NodeFuture<LogPosition> position;
  private final NodeFuture<byte[]> result = new NodeFuture<>();
  /** Where the leader appended it; written by the event loop, read only by the event loop. */
  long index;
  long term;
  /** What holds the command's place among the pending proposals, or null. */
  private Admission admission;
  private int admittedBytes;
  /** 1 once the place is given back: at the first settlement, whichever thread makes it. */
  private volatile int released;
  private static final AtomicIntegerFieldUpdater<PendingCommand> RELEASED =
      AtomicIntegerFieldUpdater.newUpdater(PendingCommand.class, "released");

  /**
   * A command whose caller wants a {@link Proposal} ({@code withPosition}), or only the future
   * of its result, as {@code submit} and the client service do: they then cost no position
   * future, no {@code Proposal} and no {@link LogPosition}.
   */
  static PendingCommand of(EntryKind kind, byte[] command, boolean withPosition) {
    return new PendingCommand(kind, command, null, withPosition);
  }

  /** A membership change; its result is the encoded membership, once committed and applied. */
  PendingCommand(UnaryOperator<Membership> change) {
    this(EntryKind.MEMBERSHIP, new byte[0], Objects.requireNonNull(change, "change"), false);
  }

  private PendingCommand(EntryKind kind, byte[] command, UnaryOperator<Membership> change,
      boolean withPosition) {
    this.kind = kind;
    this.command = command;
    this.membershipChange = change;
    this.position = withPosition ? new NodeFuture<>() : null;
    this.proposal = withPosition ? new Proposal(position, result) : null;
  }

  /** The future of the command's result on this node. */
  CompletableFuture<byte[]> result() {
    return result;
  }

  /**
   * The command holds {@code bytes} of {@code admission}'s room until it is settled (a field,
   * not a callback on its future: one object fewer per command).
   */
  void admittedBy(Admission admission, int bytes) {
    this.admission = admission;
    this.admittedBytes = bytes;
  }

  /** Gives the admission back once, before the caller's callbacks run. */
  private void release() {
    if (admission != null && RELEASED.compareAndSet(this, 0, 1)) {
      admission.releaseProposal(admittedBytes);
    }
  }

  /** The leader appended the command at {@code index} in {@code term}. */
  void appended(long index, long term) {
    this.index = index;
    this.term = term;
    if (position != null) {
      position.settle(new LogPosition(index, term));
    }
  }

  /** The state machine applied the command and answered {@code result}. */
  void applied(byte[] result) {
    release();
    this.result.settle(result);
  }

  /** Another entry was committed at the command's index: it will never be applied. */
  void dropped() {
    release();
    result.settleExceptionally(
        new CommandDroppedException(new LogPosition(index, term)));
  }

  /**
   * The command's index was passed without this node seeing the entry there (only possible once
   * a snapshot replaces log entries), so whether it was applied is unknown.
   */
  void outcomeUnknown() {
    release();
    result.settleExceptionally(new RaftException("the outcome of the command at index "
        + index + " (term " + term + ") is unknown: its entry was not seen committed on this node"));
  }

  @Override
  public void fail(Throwable cause) {
    release();
    if (position != null) {
      position.settleExceptionally(cause);
    }
    result.settleExceptionally(cause);
  }
}
