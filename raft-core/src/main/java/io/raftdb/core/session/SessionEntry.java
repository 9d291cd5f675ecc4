package io.raftdb.core.session;

import io.raftdb.message.CodecException;
import io.raftdb.message.CommandBatch;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The payload of a {@link io.raftdb.message.EntryKind#SESSION} log entry: a client-session
 * operation stamped with the clock of the leader that appended it. The log's own checksums cover
 * it; decoding still refuses anything malformed, so that a replica never applies a guess.
 *
 * <pre>
 * version 1 byte (1) | op 1 byte | leaderTimeMillis varlong | then by op:
 *   REGISTER   timeoutMillis maxSessions
 *   COMMAND    sessionId sequence ackedBelow command-bytes (to the end)
 *   COMMANDS   sessionId firstSequence ackedBelow commands (to the end: a
 *              {@link io.raftdb.message.CommandBatch} of 2 or more, numbered from firstSequence)
 *   KEEP_ALIVE sessionId ackedBelow
 *   CLOSE      sessionId
 * </pre>
 *
 * @param leaderTimeMillis the leader's wall clock when it appended the entry; sessions expire by
 *     this time as carried in the log, never by a replica's own clock
 * @param timeoutMillis with {@link Op#REGISTER}: how long the session lives idle
 * @param maxSessions with {@link Op#REGISTER}: the most sessions the group keeps
 * @param command with {@link Op#COMMAND} the command; with {@link Op#COMMANDS} the encoded batch
 *     of commands that a client sent in one request (one log entry for all: a request costs the
 *     log, the replicas and the apply thread one entry, not one per command)
 */
record SessionEntry(Op op, long leaderTimeMillis, long sessionId, long sequence, long ackedBelow,
    long timeoutMillis, int maxSessions, byte[] command) {
  static final int VERSION = 1;
  /** The most bytes the framing adds to a command. */
  static final int MAX_HEADER_BYTES = 2 + 4 * 10;
  private static final byte[] EMPTY = new byte[0];

  /** The session operations, with their stable codes. */
  enum Op {
    REGISTER(1), COMMAND(2), KEEP_ALIVE(3), CLOSE(4), COMMANDS(5);

    final int code;

    Op(int code) {
      this.code = code;
    }
  }

  static SessionEntry register(long now, long timeoutMillis, int maxSessions) {
    return new SessionEntry(Op.REGISTER, now, 0, 0, 0, timeoutMillis, maxSessions, EMPTY);
  }

  static SessionEntry command(long now, long sessionId, long sequence, long ackedBelow,
      byte[] command) {
    return new SessionEntry(Op.COMMAND, now, sessionId, sequence, ackedBelow, 0, 0, command);
  }

  static SessionEntry commands(long now, long sessionId, long firstSequence, long ackedBelow,
      byte[] encodedBatch) {
    return new SessionEntry(Op.COMMANDS, now, sessionId, firstSequence, ackedBelow, 0, 0,
        encodedBatch);
  }

  static SessionEntry keepAlive(long now, long sessionId, long ackedBelow) {
    return new SessionEntry(Op.KEEP_ALIVE, now, sessionId, 0, ackedBelow, 0, 0, EMPTY);
  }

  static SessionEntry close(long now, long sessionId) {
    return new SessionEntry(Op.CLOSE, now, sessionId, 0, 0, 0, 0, EMPTY);
  }

  /**
   * The commands of a {@link Op#COMMANDS} entry, numbered from {@link #sequence()}.
   *
   * @throws IllegalArgumentException if the batch is malformed or its numbers pass the largest
   */
  List<byte[]> batchedCommands() {
    List<byte[]> commands;
    try {
      commands = CommandBatch.decodeCommands(command);
    } catch (CodecException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    checkNumbers(sequence, commands.size());
    return commands;
  }

  /**
   * Checks that {@code count} commands numbered from {@code firstSequence} stay within the
   * sequence numbers.
   *
   * @throws IllegalArgumentException if they pass the largest
   */
  static void checkNumbers(long firstSequence, int count) {
    if (firstSequence > Long.MAX_VALUE - count) {
      throw new IllegalArgumentException("the numbers of " + count + " commands from "
          + firstSequence + " pass the largest sequence number");
    }
  }

  /** The entry's bytes, in an array of exactly their size. */
  byte[] encode() {
    return switch (op) {
      case REGISTER -> encode(timeoutMillis, maxSessions);
      case COMMAND, COMMANDS -> encode(sessionId, sequence, ackedBelow);
      case KEEP_ALIVE -> encode(sessionId, ackedBelow);
      case CLOSE -> encode(sessionId);
    };
  }

  /** Version, op, the leader's time, the op's {@code fields}, then the command (if any). */
  private byte[] encode(long... fields) {
    int size = 2 + Varints.size(leaderTimeMillis) + command.length;
    for (long f : fields) {
      size += Varints.size(f);
    }
    byte[] out = new byte[size];
    out[0] = VERSION;
    out[1] = (byte) op.code;
    int at = Varints.write(out, 2, leaderTimeMillis);
    for (long f : fields) {
      at = Varints.write(out, at, f);
    }
    System.arraycopy(command, 0, out, at, command.length);
    return out;
  }

  /**
   * Decodes a payload.
   *
   * @throws IllegalArgumentException if it is malformed
   */
  static SessionEntry decode(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    if (!in.hasRemaining() || in.get() != VERSION) {
      throw new IllegalArgumentException("not a version " + VERSION + " session entry");
    }
    if (!in.hasRemaining()) {
      throw new IllegalArgumentException("truncated session entry");
    }
    int code = in.get();
    long now = Varints.read(in);
    SessionEntry entry;
    if (code == Op.REGISTER.code) {
      long timeout = positive(Varints.read(in), "timeout");
      long max = positive(Varints.read(in), "maxSessions");
      if (max > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("maxSessions " + max + " out of range");
      }
      entry = register(now, timeout, (int) max);
    } else if (code == Op.COMMAND.code || code == Op.COMMANDS.code) {
      long session = positive(Varints.read(in), "session id");
      long sequence = positive(Varints.read(in), "sequence");
      long acked = Varints.read(in);
      if (acked > sequence) {
        throw new IllegalArgumentException("acknowledgement " + acked + " past sequence "
            + sequence);
      }
      byte[] command = Arrays.copyOfRange(payload, in.position(), payload.length);
      in.position(payload.length);
      entry = code == Op.COMMAND.code ? command(now, session, sequence, acked, command)
          : commands(now, session, sequence, acked, command);
    } else if (code == Op.KEEP_ALIVE.code) {
      entry = keepAlive(now, positive(Varints.read(in), "session id"), Varints.read(in));
    } else if (code == Op.CLOSE.code) {
      entry = close(now, positive(Varints.read(in), "session id"));
    } else {
      throw new IllegalArgumentException("unknown session operation " + code);
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " trailing bytes in a session entry");
    }
    return entry;
  }

  private static long positive(long value, String what) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
    return value;
  }
}
