package io.raftdb.transport;

import io.raftdb.message.RaftMessage;

/**
 * Receives the messages a {@link Transport} delivers. Called from the transport's threads; an
 * implementation must hand the message off quickly and never block.
 */
@FunctionalInterface
public interface MessageHandler {
  /** Takes one inbound message. */
  void onMessage(RaftMessage message);
}
