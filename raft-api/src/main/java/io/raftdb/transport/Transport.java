package io.raftdb.transport;

import io.raftdb.NodeId;
import io.raftdb.message.MessageCodec;
import io.raftdb.message.RaftMessage;
import java.util.Map;

/**
 * Carries messages between the members of a group. One instance per node.
 *
 * <p>Delivery is best effort: a message may be delayed, reordered, duplicated or lost, which Raft
 * tolerates. {@link #send} never blocks the caller on the network: a slow or unreachable peer
 * costs the sender nothing but the dropped messages.
 *
 * <p>Threading: {@code send} may be called from any thread.
 */
public interface Transport extends AutoCloseable {

  /**
   * Starts delivering inbound messages to {@code handler}. Called once, before any
   * {@link #send}.
   */
  void start(MessageHandler handler);

  /** Sends a message to a member, asynchronously; may drop it. */
  void send(NodeId to, RaftMessage message);

  /**
   * Members' addresses that the group's membership carries ({@link io.raftdb.Membership#addresses}):
   * members added after this transport was built, which it may not know how to reach. Called by
   * the node's event loop whenever they change, also at start; addresses the transport was built
   * with stay as they are. By default ignored, for transports that need no addresses.
   */
  default void learnAddresses(Map<NodeId, String> addresses) {}

  /**
   * The largest encoded message this transport carries, in bytes; a larger one is dropped. A node
   * checks when it is built that an AppendEntries carrying its largest command fits. By default
   * the codec's frame limit.
   */
  default int maxMessageBytes() {
    return MessageCodec.MAX_FRAME_BYTES;
  }

  /** Stops sending and delivering, and releases sockets and threads. Idempotent. */
  @Override
  void close();
}
