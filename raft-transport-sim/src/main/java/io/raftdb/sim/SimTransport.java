package io.raftdb.sim;

import io.raftdb.NodeId;
import io.raftdb.message.RaftMessage;
import io.raftdb.transport.MessageHandler;
import io.raftdb.transport.Transport;
import java.util.Objects;

/**
 * One node's endpoint on a {@link SimNetwork}, made by {@link SimNetwork#transport(NodeId)}.
 *
 * <p>{@link #start} registers the node's handler with the network: from then on this transport is
 * the node's current <em>incarnation</em>. {@link #close} unregisters it, which is how a test
 * crashes a node: messages still in flight to or from this incarnation are dropped, and a new
 * transport for the same node (the restarted node) never receives them. Only one incarnation of a
 * node may be started at a time.
 *
 * <p>Threading: {@code send} may be called from any thread, also before {@code start} (the node
 * can send but not yet receive) and after {@code close} (the message is silently dropped, since a
 * crashing node's threads may still be running). The handler may be called from several threads
 * at once (every sender's thread and the network's scheduler thread), so it must be thread-safe
 * and only hand the message off, as {@link MessageHandler} requires.
 */
public final class SimTransport implements Transport {

  private final SimNetwork network;
  private final NodeId self;
  private volatile MessageHandler handler;
  private volatile boolean closed;

  SimTransport(SimNetwork network, NodeId self) {
    this.network = network;
    this.self = self;
  }

  /** The node this transport belongs to. */
  public NodeId self() {
    return self;
  }

  /** The network this transport is attached to. */
  public SimNetwork network() {
    return network;
  }

  /**
   * Registers {@code handler} as this node's current incarnation.
   *
   * @throws IllegalStateException if this transport was already started or closed, or another
   *     transport of the same node is started and not yet closed
   */
  @Override
  public void start(MessageHandler handler) {
    Objects.requireNonNull(handler, "handler");
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("transport of " + self + " is closed; make a new one");
      }
      if (this.handler != null) {
        throw new IllegalStateException("transport of " + self + " is already started");
      }
      this.handler = handler;
      try {
        network.register(this);
      } catch (RuntimeException e) {
        this.handler = null;
        throw e;
      }
    }
  }

  /** Sends through the network; dropped silently if this transport is closed. */
  @Override
  public void send(NodeId to, RaftMessage message) {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(message, "message");
    if (!closed) {
      network.send(this, to, message);
    }
  }

  /** Unregisters this incarnation; messages in flight to or from it are dropped. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    network.unregister(this);
  }

  boolean isClosed() {
    return closed;
  }

  MessageHandler handler() {
    return handler;
  }

  @Override
  public String toString() {
    String state = closed ? ", closed" : handler != null ? ", started" : "";
    return "SimTransport[" + self + state + "]";
  }
}
