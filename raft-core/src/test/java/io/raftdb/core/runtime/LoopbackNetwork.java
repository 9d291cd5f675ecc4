package io.raftdb.core.runtime;

import io.raftdb.NodeId;
import io.raftdb.message.RaftMessage;
import io.raftdb.transport.MessageHandler;
import io.raftdb.transport.Transport;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wires nodes of one process together: a send calls the receiver's handler directly, on the
 * sender's thread. Nodes can be cut off and reconnected. Test-only stand-in for a transport,
 * since {@code raft-core} may not depend on one.
 */
final class LoopbackNetwork {
  private final Map<NodeId, MessageHandler> handlers = new ConcurrentHashMap<>();
  private final Set<NodeId> isolated = ConcurrentHashMap.newKeySet();

  /** The transport of one node. */
  LoopbackTransport transport(NodeId self) {
    return new LoopbackTransport(self);
  }

  /** Drops every message to and from {@code node} until {@link #reconnect}. */
  void isolate(NodeId node) {
    isolated.add(node);
  }

  /** Delivers messages to and from {@code node} again. */
  void reconnect(NodeId node) {
    isolated.remove(node);
  }

  /** One node's end of the network. */
  final class LoopbackTransport implements Transport {
    private final NodeId self;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile MessageHandler handler;

    LoopbackTransport(NodeId self) {
      this.self = self;
    }

    @Override
    public void start(MessageHandler h) {
      this.handler = h;
      handlers.put(self, h);
    }

    @Override
    public void send(NodeId to, RaftMessage message) {
      if (closed.get() || isolated.contains(self) || isolated.contains(to)) {
        return;
      }
      MessageHandler target = handlers.get(to);
      if (target != null) {
        target.onMessage(message);
      }
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true) && handler != null) {
        handlers.remove(self, handler);
      }
    }

    boolean isClosed() {
      return closed.get();
    }
  }
}
