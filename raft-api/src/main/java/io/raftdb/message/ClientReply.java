package io.raftdb.message;

import io.raftdb.NodeId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A node's answer to a {@link ClientRequest}.
 *
 * @param callId the request's {@link ClientRequest#callId()}
 * @param status how it went
 * @param leaderHint with {@link Status#NOT_LEADER}: the leader this node knows of, or
 *     {@code null} if it knows none; otherwise {@code null}
 * @param sessionId with a successful {@link ClientRequest.Op#REGISTER}: the new session's id;
 *     otherwise 0
 * @param payload with {@link Status#OK}: the command's result or the query's answer; with an
 *     error status: a UTF-8 explanation. Not copied: do not change it after construction
 */
public record ClientReply(long groupId, NodeId from, long callId, Status status,
    NodeId leaderHint, long sessionId, byte[] payload) implements RaftMessage {
  private static final byte[] EMPTY = new byte[0];

  /** The outcome of a request. The code is its stable wire value. */
  public enum Status {
    /** Done; the payload is the result. */
    OK(1),
    /**
     * This node cannot serve the request: not the leader (the hint names the one it knows), or
     * a read it could not confirm. Nothing was applied; send it elsewhere.
     */
    NOT_LEADER(2),
    /**
     * The session is unknown here: it expired or was closed. The command was not applied by this
     * request; it may have been applied by an earlier attempt before the session ended.
     */
    SESSION_EXPIRED(3),
    /** The node is overloaded; nothing was applied. Retry later. */
    OVERLOADED(4),
    /**
     * The node could not finish the request (it is stopping, or lost leadership while the
     * command was in flight). Retrying the same command in its session is safe.
     */
    UNAVAILABLE(5),
    /** The request can never succeed (too large, malformed, a client bug); do not retry. */
    REJECTED(6);

    // values() copies its array on every call; decoding runs once per message.
    private static final Status[] VALUES = values();

    private final int code;

    Status(int code) {
      this.code = code;
    }

    /** The stable byte that stands for this status on the wire. */
    public int code() {
      return code;
    }

    /** The status with this code, or {@code null} if there is none. */
    public static Status fromCode(int code) {
      for (Status s : VALUES) {
        if (s.code == code) {
          return s;
        }
      }
      return null;
    }
  }

  /** Validates the fields. */
  public ClientReply {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(payload, "payload");
    if (callId < 0 || sessionId < 0) {
      throw new IllegalArgumentException("negative call or session id");
    }
    if (leaderHint != null && status != Status.NOT_LEADER) {
      throw new IllegalArgumentException("only a NOT_LEADER reply names a leader");
    }
    if (sessionId != 0 && status != Status.OK) {
      throw new IllegalArgumentException("only a successful reply names a session");
    }
  }

  /** A successful reply. */
  public static ClientReply ok(long groupId, NodeId from, long callId, byte[] result) {
    return new ClientReply(groupId, from, callId, Status.OK, null, 0, result);
  }

  /** The reply to a successful registration. */
  public static ClientReply registered(long groupId, NodeId from, long callId, long sessionId) {
    return new ClientReply(groupId, from, callId, Status.OK, null, sessionId, EMPTY);
  }

  /** A redirect: this node is not the leader; {@code leader} may be {@code null}. */
  public static ClientReply notLeader(long groupId, NodeId from, long callId, NodeId leader) {
    return new ClientReply(groupId, from, callId, Status.NOT_LEADER, leader, 0, EMPTY);
  }

  /** A failure with an explanation. */
  public static ClientReply error(long groupId, NodeId from, long callId, Status status,
      String explanation) {
    if (status == Status.OK) {
      throw new IllegalArgumentException("an error needs an error status");
    }
    return new ClientReply(groupId, from, callId, status, null, 0,
        explanation.getBytes(StandardCharsets.UTF_8));
  }

  /** The explanation of an error reply. */
  public String explanation() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** Client messages take no part in terms. */
  @Override
  public long term() {
    return 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientReply r && r.groupId == groupId && r.from.equals(from)
        && r.callId == callId && r.status == status && Objects.equals(r.leaderHint, leaderHint)
        && r.sessionId == sessionId && Arrays.equals(r.payload, payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(groupId, from, callId, status, leaderHint, sessionId) * 31
        + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "ClientReply[" + status + " call " + callId + " from " + from
        + (leaderHint != null ? " leader " + leaderHint : "")
        + (sessionId != 0 ? " session " + sessionId : "") + " " + payload.length + "B]";
  }
}
