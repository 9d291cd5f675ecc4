package io.raftdb.message;

import io.raftdb.NodeId;
import io.raftdb.ReadConsistency;
import java.util.Arrays;
import java.util.Objects;

/**
 * A client's request to a node (thesis chapter 6), answered by one {@link ClientReply} with the
 * same {@code callId}. {@code from} is the client's address on the transport, where the reply goes.
 *
 * <p>Commands run in a client session so that a retried command is applied exactly once: the
 * client registers a session (its id is the log index of the registration), numbers its commands
 * from 1 and tells with every command the lowest sequence number whose reply it still waits for,
 * so that the group can forget the replies below it.
 *
 * @param callId the client's id for this call, echoed in the reply (a retry gets a new one)
 * @param op what is asked
 * @param sessionId the session, for {@link Op#COMMAND}, {@link Op#COMMANDS},
 *     {@link Op#KEEP_ALIVE} and {@link Op#CLOSE_SESSION}; 0 otherwise
 * @param sequence the command's number in its session (from 1), for {@link Op#COMMAND}; the
 *     first command's for {@link Op#COMMANDS}; else 0
 * @param ackedBelow every command of the session numbered below this has its reply at the
 *     client, for {@link Op#COMMAND}, {@link Op#COMMANDS} and {@link Op#KEEP_ALIVE}; else 0
 * @param consistency how fresh a {@link Op#QUERY} must be; {@code null} for other operations
 * @param payload the command or the query, for {@link Op#COMMAND} and {@link Op#QUERY}; the
 *     commands ({@link CommandBatch#encodeCommands}) for {@link Op#COMMANDS}; else empty. Not
 *     copied: do not change it after construction
 */
public record ClientRequest(long groupId, NodeId from, long callId, Op op, long sessionId,
    long sequence, long ackedBelow, ReadConsistency consistency, byte[] payload)
    implements RaftMessage {
  private static final byte[] EMPTY = new byte[0];

  /** What a client asks of a node. The code is its stable wire value. */
  public enum Op {
    /** Open a session; the reply carries its id. */
    REGISTER(1),
    /** Apply a command in a session. */
    COMMAND(2),
    /** Run a read-only query; never a log entry. */
    QUERY(3),
    /** Keep an idle session from expiring. */
    KEEP_ALIVE(4),
    /** End a session and forget its replies. */
    CLOSE_SESSION(5),
    /** Report the node's own status (see {@link NodeStatusCodec}); any node answers. */
    STATUS(6),
    /**
     * Change the group's membership or hand leadership over ({@link MembershipChange}); the
     * leader answers with the membership then in effect ({@link MembershipCodec}).
     */
    MEMBERSHIP(7),
    /**
     * Apply several commands of a session in order ({@link CommandBatch}): the request's
     * sequence number is the first's, the others follow it one by one; the reply carries one
     * outcome per command.
     */
    COMMANDS(8);

    // values() copies its array on every call; decoding runs once per message.
    private static final Op[] VALUES = values();

    private final int code;

    Op(int code) {
      this.code = code;
    }

    /** The stable byte that stands for this operation on the wire. */
    public int code() {
      return code;
    }

    /** The operation with this code, or {@code null} if there is none. */
    static Op fromCode(int code) {
      for (Op op : VALUES) {
        if (op.code == code) {
          return op;
        }
      }
      return null;
    }
  }

  /** Validates the fields: each operation carries exactly what it needs. */
  public ClientRequest {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(payload, "payload");
    if (callId < 0 || sessionId < 0 || sequence < 0 || ackedBelow < 0) {
      throw new IllegalArgumentException("negative id, sequence or acknowledgement in " + op);
    }
    boolean commands = op == Op.COMMAND || op == Op.COMMANDS;
    boolean inSession = commands || op == Op.KEEP_ALIVE || op == Op.CLOSE_SESSION;
    if (inSession != (sessionId > 0)) {
      throw new IllegalArgumentException(op + (inSession ? " needs" : " takes no") + " session");
    }
    if (commands != (sequence > 0)) {
      throw new IllegalArgumentException(op + (commands ? " needs" : " takes no")
          + " sequence number");
    }
    if (commands && ackedBelow > sequence) {
      throw new IllegalArgumentException("a command's acknowledgement " + ackedBelow
          + " is past its own sequence number " + sequence);
    }
    if (!commands && op != Op.KEEP_ALIVE && ackedBelow != 0) {
      throw new IllegalArgumentException(op + " takes no acknowledgement");
    }
    if ((op == Op.QUERY) != (consistency != null)) {
      throw new IllegalArgumentException(op + (op == Op.QUERY ? " needs" : " takes no")
          + " consistency");
    }
    if (!commands && op != Op.QUERY && op != Op.MEMBERSHIP && payload.length != 0) {
      throw new IllegalArgumentException(op + " takes no payload");
    }
  }

  /** A session registration. */
  public static ClientRequest register(long groupId, NodeId from, long callId) {
    return new ClientRequest(groupId, from, callId, Op.REGISTER, 0, 0, 0, null, EMPTY);
  }

  /** A command in a session. */
  public static ClientRequest command(long groupId, NodeId from, long callId, long sessionId,
      long sequence, long ackedBelow, byte[] command) {
    return new ClientRequest(groupId, from, callId, Op.COMMAND, sessionId, sequence, ackedBelow,
        null, command);
  }

  /**
   * Commands of a session numbered {@code firstSequence} onwards, encoded by
   * {@link CommandBatch#encodeCommands}.
   */
  public static ClientRequest commands(long groupId, NodeId from, long callId, long sessionId,
      long firstSequence, long ackedBelow, byte[] batch) {
    return new ClientRequest(groupId, from, callId, Op.COMMANDS, sessionId, firstSequence,
        ackedBelow, null, batch);
  }

  /** A read-only query. */
  public static ClientRequest query(long groupId, NodeId from, long callId,
      ReadConsistency consistency, byte[] query) {
    return new ClientRequest(groupId, from, callId, Op.QUERY, 0, 0, 0,
        Objects.requireNonNull(consistency, "consistency"), query);
  }

  /** A keep-alive of an idle session. */
  public static ClientRequest keepAlive(long groupId, NodeId from, long callId, long sessionId,
      long ackedBelow) {
    return new ClientRequest(groupId, from, callId, Op.KEEP_ALIVE, sessionId, 0, ackedBelow,
        null, EMPTY);
  }

  /** Asks the node it is sent to for its status. */
  public static ClientRequest status(long groupId, NodeId from, long callId) {
    return new ClientRequest(groupId, from, callId, Op.STATUS, 0, 0, 0, null, EMPTY);
  }

  /** A membership change or leadership transfer, encoded by {@link MembershipChange#encode}. */
  public static ClientRequest membership(long groupId, NodeId from, long callId, byte[] change) {
    return new ClientRequest(groupId, from, callId, Op.MEMBERSHIP, 0, 0, 0, null, change);
  }

  /** The end of a session. */
  public static ClientRequest closeSession(long groupId, NodeId from, long callId,
      long sessionId) {
    return new ClientRequest(groupId, from, callId, Op.CLOSE_SESSION, sessionId, 0, 0, null,
        EMPTY);
  }

  /** Client messages take no part in terms. */
  @Override
  public long term() {
    return 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientRequest r && r.groupId == groupId && r.from.equals(from)
        && r.callId == callId && r.op == op && r.sessionId == sessionId
        && r.sequence == sequence && r.ackedBelow == ackedBelow
        && r.consistency == consistency && Arrays.equals(r.payload, payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(groupId, from, callId, op, sessionId, sequence, ackedBelow, consistency)
        * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "ClientRequest[" + op + " call " + callId + " from " + from
        + (sessionId > 0 ? " session " + sessionId + " seq " + sequence + " acked<" + ackedBelow
            : "")
        + (consistency != null ? " " + consistency : "") + " " + payload.length + "B]";
  }
}
