package io.raftdb.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The payloads of a {@link ClientRequest.Op#COMMANDS} request and of its reply: several commands
 * of one session, numbered consecutively from the request's {@link ClientRequest#sequence()},
 * and one outcome per command, in the same order. One request and one reply then carry what
 * would take a request and a reply per command; the leader proposes them as one log entry, and
 * each command is still applied once in its session.
 *
 * <pre>
 * commands: version 1 byte (1) | count varint | count × (length varint | command bytes)
 * outcomes: version 1 byte (1) | count varint | count × (status 1 byte | length varint | bytes)
 * </pre>
 *
 * <p>Decoding refuses anything malformed with a {@link CodecException}: another version, a
 * count of 0 or above {@link #MAX_COMMANDS}, a length past the end, trailing bytes, an unknown
 * status.
 */
public final class CommandBatch {
  /** The format version written first. */
  public static final int VERSION = 1;
  /** The most commands in one batch. */
  public static final int MAX_COMMANDS = 4096;

  /** The most bytes a batch adds ahead of its commands (version and count). */
  public static final int HEADER_BYTES = 1 + 2;

  private CommandBatch() {}

  /** What {@code command} adds to a batch's payload: its length, then its bytes. */
  public static int encodedSize(byte[] command) {
    return WireWriter.varLongSize(command.length) + command.length;
  }

  /**
   * What became of one command of a batch.
   *
   * @param status {@link ClientReply.Status#OK} if it was applied (or had been, and this is its
   *     cached result), else why not, with the same meaning as a whole reply's status
   * @param body with OK the command's result, else a UTF-8 explanation. Not copied
   */
  public record Outcome(ClientReply.Status status, byte[] body) {
    /** Validates the fields. */
    public Outcome {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(body, "body");
    }

    /** An outcome other than OK, with its explanation. */
    public static Outcome error(ClientReply.Status status, String explanation) {
      if (status == ClientReply.Status.OK) {
        throw new IllegalArgumentException("an error needs an error status");
      }
      return new Outcome(status, explanation.getBytes(StandardCharsets.UTF_8));
    }

    /** The explanation of an outcome other than OK. */
    public String explanation() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** The payload carrying {@code commands}, 1 to {@link #MAX_COMMANDS} of them. */
  public static byte[] encodeCommands(List<byte[]> commands) {
    checkCount(commands.size());
    int size = 1 + WireWriter.varLongSize(commands.size());
    for (byte[] c : commands) {
      size += encodedSize(c);
    }
    ByteBuffer out = ByteBuffer.wrap(new byte[size]);
    out.put((byte) VERSION);
    WireWriter.putVarLong(out, commands.size());
    for (byte[] c : commands) {
      WireWriter.putVarLong(out, c.length);
      out.put(c);
    }
    return out.array();
  }

  /** The commands of a payload, in order. */
  public static List<byte[]> decodeCommands(byte[] payload) {
    WireReader in = reader(payload, "command batch");
    int count = count(in, 1);
    List<byte[]> commands = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      commands.add(in.readBytes("command", in.readLength("command length", payload.length)));
    }
    requireEnd(in);
    return commands;
  }

  /**
   * How many commands a payload carries, checked as {@link #decodeCommands} checks it but
   * without copying them out: for a server that passes a valid batch on as it stands.
   */
  public static int countCommands(byte[] payload) {
    WireReader in = reader(payload, "command batch");
    int count = count(in, 1);
    for (int i = 0; i < count; i++) {
      in.skip("command", in.readLength("command length", payload.length));
    }
    requireEnd(in);
    return count;
  }

  /** The payload carrying {@code outcomes}, 1 to {@link #MAX_COMMANDS} of them. */
  public static byte[] encodeOutcomes(List<Outcome> outcomes) {
    checkCount(outcomes.size());
    int size = 1 + WireWriter.varLongSize(outcomes.size());
    for (Outcome o : outcomes) {
      size += 1 + WireWriter.varLongSize(o.body().length) + o.body().length;
    }
    ByteBuffer out = ByteBuffer.wrap(new byte[size]);
    out.put((byte) VERSION);
    WireWriter.putVarLong(out, outcomes.size());
    for (Outcome o : outcomes) {
      out.put((byte) o.status().code());
      WireWriter.putVarLong(out, o.body().length);
      out.put(o.body());
    }
    return out.array();
  }

  /**
   * As {@link #encodeOutcomes(List)} for outcomes given as their status codes (each a {@link
   * ClientReply.Status} code) and, apart, their bodies, written after {@code offset} bytes that
   * the caller fills: the form in which a server keeps them (a state machine's result is the body
   * of a success as it is), encoded with one copy of each body.
   */
  public static byte[] encodeOutcomes(byte[] statuses, byte[][] bodies, int offset) {
    checkCount(statuses.length);
    if (bodies.length != statuses.length) {
      throw new IllegalArgumentException(statuses.length + " statuses for " + bodies.length
          + " bodies");
    }
    int size = offset + 1 + WireWriter.varLongSize(statuses.length);
    for (int i = 0; i < statuses.length; i++) {
      if (ClientReply.Status.fromCode(statuses[i]) == null) {
        throw new IllegalArgumentException("unknown outcome status " + statuses[i]);
      }
      size += 1 + WireWriter.varLongSize(bodies[i].length) + bodies[i].length;
    }
    ByteBuffer out = ByteBuffer.wrap(new byte[size]).position(offset);
    out.put((byte) VERSION);
    WireWriter.putVarLong(out, statuses.length);
    for (int i = 0; i < statuses.length; i++) {
      out.put(statuses[i]);
      WireWriter.putVarLong(out, bodies[i].length);
      out.put(bodies[i]);
    }
    return out.array();
  }

  /** The outcomes of a payload, in order. */
  public static List<Outcome> decodeOutcomes(byte[] payload) {
    WireReader in = reader(payload, "outcome batch");
    int count = count(in, 2);
    List<Outcome> outcomes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int at = in.position();
      ClientReply.Status status = ClientReply.Status.fromCode(in.readUnsignedByte("status"));
      if (status == null) {
        throw in.error(at, "unknown outcome status");
      }
      byte[] body = in.readBytes("outcome", in.readLength("outcome length", payload.length));
      outcomes.add(new Outcome(status, body));
    }
    requireEnd(in);
    return outcomes;
  }

  private static void checkCount(int count) {
    if (count < 1 || count > MAX_COMMANDS) {
      throw new IllegalArgumentException("a batch holds 1.." + MAX_COMMANDS + " commands, not "
          + count);
    }
  }

  private static WireReader reader(byte[] payload, String label) {
    Objects.requireNonNull(payload, "payload");
    WireReader in = new WireReader(ByteBuffer.wrap(payload), label, 0, 0, payload.length);
    int version = in.readUnsignedByte("version");
    if (version != VERSION) {
      throw in.error(0, "unknown version " + version);
    }
    return in;
  }

  private static int count(WireReader in, int minBytesEach) {
    int at = in.position();
    int count = in.readCount("count", minBytesEach);
    if (count < 1 || count > MAX_COMMANDS) {
      throw in.error(at, "a batch holds 1.." + MAX_COMMANDS + " commands, not " + count);
    }
    return count;
  }

  private static void requireEnd(WireReader in) {
    if (in.remaining() != 0) {
      throw in.error(in.position(), in.remaining() + " bytes after the batch");
    }
  }
}
