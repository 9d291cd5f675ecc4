package io.raftdb.core.client;

import io.raftdb.NodeId;
import io.raftdb.ReadConsistency;
import io.raftdb.message.ClientRequest;
import java.util.concurrent.CompletableFuture;

/**
 * One call of a {@link DefaultRaftClient}, from admission until its outcome, across its attempts.
 * Guarded by the client's lock.
 */
final class ClientCall {
  final ClientRequest.Op op;
  final byte[] payload;
  final ReadConsistency consistency;
  /** The caller's future; {@code null} for the client's own calls (registration, keep-alive). */
  final CompletableFuture<byte[]> future;
  final long deadlineNanos;
  /** The session it runs in, and its number there (commands and keep-alives). */
  long sessionId;
  long sequence;
  /**
   * The id of the attempt in flight (a command's: that of the {@link CommandRequest} carrying
   * it), or 0 while none is (waiting to retry, to be sent, or for a session).
   */
  long callId;
  /** Where the attempt in flight went (a command's request knows its own). */
  NodeId target;
  /** The one member this call must go to (a status request), or {@code null}: the leader. */
  NodeId fixedTarget;
  int redirects;
  long backoffNanos;
  /**
   * With an attempt in flight: when it counts as lost (a command's request holds that). Without
   * one: when to send the next attempt, or 0 if the call is not waiting to be retried (it waits
   * for a session, or to be sent).
   */
  long dueNanos;
  boolean done;
  /** Its slot in the client's {@link CallTable}, or -1. */
  int slot = -1;
  /** Its neighbours among the client's {@link NumberedCommands}, while it is there. */
  ClientCall previousCommand;
  ClientCall nextCommand;

  ClientCall(ClientRequest.Op op, byte[] payload, ReadConsistency consistency,
      CompletableFuture<byte[]> future, long deadlineNanos) {
    this.op = op;
    this.payload = payload;
    this.consistency = consistency;
    this.future = future;
    this.deadlineNanos = deadlineNanos;
  }

  /** Whether a caller waits for it (it then counts toward the outstanding bound). */
  boolean isUsers() {
    return future != null;
  }

  @Override
  public String toString() {
    return op + (sequence > 0 ? " #" + sequence : "") + (callId > 0 ? " call " + callId : "");
  }
}
