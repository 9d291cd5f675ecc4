package io.raftdb.sim.network;

import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.message.RaftMessage;
import io.raftdb.transport.MessageHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A thread-safe handler that keeps every message it is given, as a node's inbound queue would. */
final class Inbox implements MessageHandler {

  private final ConcurrentLinkedQueue<RaftMessage> received = new ConcurrentLinkedQueue<>();

  @Override
  public void onMessage(RaftMessage message) {
    received.add(message);
  }

  int size() {
    return received.size();
  }

  List<RaftMessage> messages() {
    return new ArrayList<>(received);
  }

  /** Waits (bounded) until at least {@code count} messages arrived. */
  void awaitAtLeast(int count) {
    long deadline = System.nanoTime() + Quiet.TIMEOUT.toNanos();
    while (received.size() < count) {
      if (System.nanoTime() > deadline) {
        fail("expected at least " + count + " messages, got " + received.size());
      }
      Quiet.pause();
    }
  }
}
