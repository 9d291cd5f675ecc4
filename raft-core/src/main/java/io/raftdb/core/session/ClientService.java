package io.raftdb.core.session;

import io.raftdb.CommandTooLargeException;
import io.raftdb.Membership;
import io.raftdb.MembershipChangeException;
import io.raftdb.NodeId;
import io.raftdb.NodeStatus;
import io.raftdb.NotLeaderException;
import io.raftdb.OverloadedException;
import io.raftdb.RaftConfig;
import io.raftdb.ReadConsistency;
import io.raftdb.message.ClientReply;
import io.raftdb.message.ClientRequest;
import io.raftdb.message.CodecException;
import io.raftdb.message.MembershipChange;
import io.raftdb.message.MembershipCodec;
import io.raftdb.message.NodeStatusCodec;
import io.raftdb.message.MessageCodec;
import io.raftdb.transport.Transport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the client protocol on one node: turns each {@link ClientRequest} into a proposal of a
 * {@link io.raftdb.message.EntryKind#SESSION} entry (stamped with this node's clock, which counts
 * only where this node leads) or a read, and answers with one {@link ClientReply} when it is done.
 * A node that does not lead answers commands with a redirect; reads it serves itself (a
 * linearizable one through the leader's read index).
 *
 * <p>Threading: {@link #handle} runs on the transport's thread and only enqueues work; replies
 * are sent from the node's threads as results arrive. Nothing here blocks.
 */
public final class ClientService {
  private static final Logger LOG = LoggerFactory.getLogger(ClientService.class);
  /** Room for a reply's own fields in a frame. */
  private static final int REPLY_OVERHEAD_BYTES = 1024;

  /** What the service needs of its node. */
  public interface Node {
    /** Proposes a {@link io.raftdb.message.EntryKind#SESSION} entry; the future of its outcome. */
    CompletableFuture<byte[]> proposeSessionEntry(byte[] entry);

    /** As {@link io.raftdb.RaftNode#query}. */
    CompletableFuture<byte[]> query(byte[] query, ReadConsistency consistency);

    /** As {@link io.raftdb.RaftNode#status}. */
    NodeStatus status();

    /** As {@link io.raftdb.RaftNode#changeMembership(MembershipChange)}. */
    CompletableFuture<Membership> changeMembership(MembershipChange change);
  }

  private final NodeId self;
  private final long groupId;
  private final Node node;
  private final Transport transport;
  private final RaftConfig config;
  private final LongSupplier wallClockMillis;

  /**
   * @param wallClockMillis the clock stamped into session entries; the leaders' clocks are what
   *     session expiry is measured by
   */
  public ClientService(NodeId self, long groupId, Node node, Transport transport,
      RaftConfig config, LongSupplier wallClockMillis) {
    this.self = self;
    this.groupId = groupId;
    this.node = node;
    this.transport = transport;
    this.config = config;
    this.wallClockMillis = wallClockMillis;
  }

  /** The most framing a session entry adds to a client's command. */
  public static int maxFramingBytes() {
    return SessionEntry.MAX_HEADER_BYTES;
  }

  /** Takes one request; its reply is sent once the request is done. */
  public void handle(ClientRequest r) {
    if (r.groupId() != groupId) {
      return; // another group's: as for members' messages, not ours to answer
    }
    long now = Math.max(0, wallClockMillis.getAsLong());
    switch (r.op()) {
      case QUERY -> node.query(r.payload(), r.consistency())
          .whenComplete((answer, failure) -> answer(r, answer, failure));
      case REGISTER -> propose(r, SessionEntry.register(now, config.sessionTimeout().toMillis(),
          config.maxSessions()));
      case COMMAND -> {
        if (r.payload().length > config.maxCommandBytes()) {
          reply(r, ClientReply.error(groupId, self, r.callId(), ClientReply.Status.REJECTED,
              new CommandTooLargeException(r.payload().length, config.maxCommandBytes())
                  .getMessage()));
          return;
        }
        propose(r, SessionEntry.command(now, r.sessionId(), r.sequence(), r.ackedBelow(),
            r.payload()));
      }
      case KEEP_ALIVE -> propose(r, SessionEntry.keepAlive(now, r.sessionId(), r.ackedBelow()));
      case CLOSE_SESSION -> propose(r, SessionEntry.close(now, r.sessionId()));
      case STATUS -> reply(r, ClientReply.ok(groupId, self, r.callId(),
          NodeStatusCodec.encode(node.status())));
      case MEMBERSHIP -> changeMembership(r);
      default -> throw new IllegalStateException("unknown op " + r.op());
    }
  }

  private void changeMembership(ClientRequest r) {
    MembershipChange change;
    try {
      change = MembershipChange.decode(r.payload());
    } catch (CodecException e) {
      reply(r, ClientReply.error(groupId, self, r.callId(), ClientReply.Status.REJECTED,
          e.getMessage()));
      return;
    }
    node.changeMembership(change).whenComplete((m, failure) -> {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof MembershipChangeException e && e.isTransient()) {
        // Another change is under way, or this leader is new: the client tries again.
        reply(r, ClientReply.error(groupId, self, r.callId(), ClientReply.Status.UNAVAILABLE,
            e.getMessage()));
      } else if (cause instanceof MembershipChangeException e) {
        reply(r, ClientReply.error(groupId, self, r.callId(), ClientReply.Status.REJECTED,
            e.getMessage()));
      } else {
        answer(r, m == null ? null : MembershipCodec.encode(m), cause);
      }
    });
  }

  private void propose(ClientRequest r, SessionEntry entry) {
    node.proposeSessionEntry(entry.encode())
        .whenComplete((outcome, failure) -> {
          if (failure != null) {
            answer(r, null, failure);
          } else {
            reply(r, fromOutcome(r, outcome));
          }
        });
  }

  private ClientReply fromOutcome(ClientRequest r, byte[] outcome) {
    ClientReply.Status status = SessionOutcome.status(outcome);
    if (status != ClientReply.Status.OK) {
      return new ClientReply(groupId, self, r.callId(), status, null, 0,
          SessionOutcome.body(outcome));
    }
    return r.op() == ClientRequest.Op.REGISTER
        ? ClientReply.registered(groupId, self, r.callId(), SessionOutcome.sessionId(outcome))
        : ClientReply.ok(groupId, self, r.callId(), SessionOutcome.body(outcome));
  }

  private void answer(ClientRequest r, byte[] result, Throwable failure) {
    if (failure == null) {
      reply(r, ClientReply.ok(groupId, self, r.callId(), result));
      return;
    }
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    ClientReply reply;
    if (cause instanceof NotLeaderException e) {
      reply = ClientReply.notLeader(groupId, self, r.callId(), e.leaderHint().orElse(null));
    } else if (cause instanceof OverloadedException) {
      reply = ClientReply.error(groupId, self, r.callId(), ClientReply.Status.OVERLOADED,
          cause.getMessage());
    } else if (cause instanceof CommandTooLargeException
        || cause instanceof IllegalArgumentException) {
      reply = ClientReply.error(groupId, self, r.callId(), ClientReply.Status.REJECTED,
          String.valueOf(cause.getMessage()));
    } else {
      // Stopping, lost leadership with the command in flight, an outcome this node cannot see:
      // the client retries, and its session keeps a command from applying twice.
      reply = ClientReply.error(groupId, self, r.callId(), ClientReply.Status.UNAVAILABLE,
          cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
    reply(r, reply);
  }

  private void reply(ClientRequest r, ClientReply reply) {
    if (reply.payload().length > MessageCodec.MAX_FRAME_BYTES - REPLY_OVERHEAD_BYTES) {
      reply = ClientReply.error(groupId, self, r.callId(), ClientReply.Status.REJECTED,
          "the reply of " + reply.payload().length + " bytes is larger than a message can carry");
    }
    try {
      transport.send(r.from(), reply);
    } catch (RuntimeException e) {
      LOG.debug("node {} could not answer {}: {}", self, r, e.toString());
    }
  }
}
