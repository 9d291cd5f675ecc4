package io.raftdb.core.runtime;

import io.raftdb.NodeId;

/** A request to hand leadership to {@code target} (thesis §3.10). */
final class TransferRequest implements LoopRequest {
  final NodeId target;
  final NodeFuture<Void> future = new NodeFuture<>();
  /** When the transfer counts as failed ({@link System#nanoTime} value); set by the event loop. */
  long deadlineNanos;

  TransferRequest(NodeId target) {
    this.target = target;
  }

  @Override
  public void fail(Throwable cause) {
    future.settleExceptionally(cause);
  }
}
