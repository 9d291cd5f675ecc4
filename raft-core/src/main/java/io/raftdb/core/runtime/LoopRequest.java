package io.raftdb.core.runtime;

/**
 * Something a caller asked of the node that travels through the event loop's input queue and
 * ends by completing the caller's future. The queue also carries inbound
 * {@link io.raftdb.message.RaftMessage}s, which are not requests.
 */
sealed interface LoopRequest permits PendingCommand, ProposalGroup, ReadRequest,
    TransferRequest {

  /** Fails the caller's future(s); does nothing to a future already completed. */
  void fail(Throwable cause);
}
