package io.raftdb.core.runtime;

/**
 * Commands proposed together, in order, in one hand-off to the event loop (the session entries
 * of one client request, when its commands need more than one): one queue slot and one wake-up
 * instead of one per entry. Each is still its own log entry with its own outcome.
 */
record ProposalGroup(PendingCommand[] commands) implements LoopRequest {

  @Override
  public void fail(Throwable cause) {
    for (PendingCommand c : commands) {
      c.fail(cause);
    }
  }
}
