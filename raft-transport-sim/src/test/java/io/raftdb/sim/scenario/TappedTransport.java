package io.raftdb.sim.scenario;

import io.raftdb.NodeId;
import io.raftdb.message.RaftMessage;
import io.raftdb.transport.MessageHandler;
import io.raftdb.transport.Transport;
import java.util.function.Supplier;

/**
 * A node's transport with a {@link Tap} in front of {@link #send}: the tap sees every message
 * the node sends and may drop it, as a lossy network would. It lets a scenario count messages of
 * one kind, or lose one particular message for sure where the network's random losses would only
 * probably hit it.
 *
 * <p>Threading: as thread-safe as the wrapped transport; the tap is read on every send.
 */
final class TappedTransport implements Transport {

  /** Sees outgoing messages. Called on the sending node's threads; must not block. */
  @FunctionalInterface
  interface Tap {
    /** Whether {@code message} from {@code from} to {@code to} goes out (false: it is lost). */
    boolean pass(NodeId from, NodeId to, RaftMessage message);
  }

  private final Transport inner;
  private final NodeId self;
  private final Supplier<Tap> tap;

  /** Wraps {@code inner}, the transport of {@code self}; {@code tap} may supply null (no tap). */
  TappedTransport(Transport inner, NodeId self, Supplier<Tap> tap) {
    this.inner = inner;
    this.self = self;
    this.tap = tap;
  }

  @Override
  public void start(MessageHandler handler) {
    inner.start(handler);
  }

  @Override
  public void send(NodeId to, RaftMessage message) {
    Tap t = tap.get();
    if (t == null || t.pass(self, to, message)) {
      inner.send(to, message);
    }
  }

  @Override
  public void close() {
    inner.close();
  }
}
