package io.raftdb.core.session;

import io.raftdb.message.ClientReply;
import io.raftdb.message.CommandBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The result of a {@link io.raftdb.message.EntryKind#SESSION} entry, as the apply thread hands it
 * to the proposer's future and as the session table caches it for retries: one status byte (a
 * {@link ClientReply.Status} code), then the state machine's result, the new session's id (eight
 * bytes), the {@link CommandBatch} outcomes of a request's commands, or a UTF-8 explanation.
 */
public final class SessionOutcome {
  /** The status byte of a success. */
  static final byte OK = (byte) ClientReply.Status.OK.code();

  private SessionOutcome() {}

  static byte[] ok(byte[] result) {
    byte[] out = new byte[1 + result.length];
    out[0] = OK;
    System.arraycopy(result, 0, out, 1, result.length);
    return out;
  }

  /**
   * The outcome of a request's commands in one entry: OK, then their outcomes in order, given as
   * status codes and bodies.
   */
  static byte[] batch(byte[] statuses, byte[][] bodies) {
    byte[] out = CommandBatch.encodeOutcomes(statuses, bodies, 1);
    out[0] = OK;
    return out;
  }

  static byte[] registered(long sessionId) {
    return ByteBuffer.allocate(9).put(OK).putLong(sessionId)
        .array();
  }

  static byte[] error(ClientReply.Status status, String explanation) {
    byte[] text = explanation.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[1 + text.length];
    out[0] = (byte) status.code();
    System.arraycopy(text, 0, out, 1, text.length);
    return out;
  }

  /** The status of an outcome. */
  public static ClientReply.Status status(byte[] outcome) {
    ClientReply.Status status = ClientReply.Status.fromCode(outcome[0]);
    if (status == null) {
      throw new IllegalArgumentException("unknown outcome status " + outcome[0]);
    }
    return status;
  }

  /** What follows the status: a result, or an explanation. */
  public static byte[] body(byte[] outcome) {
    return Arrays.copyOfRange(outcome, 1, outcome.length);
  }

  /** The session id of a successful registration's outcome. */
  public static long sessionId(byte[] outcome) {
    return ByteBuffer.wrap(outcome, 1, 8).getLong();
  }
}
