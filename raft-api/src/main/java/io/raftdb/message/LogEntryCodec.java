package io.raftdb.message;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The binary form of one {@link LogEntry}: how entries are stored on disk, and (without the
 * version byte and checksum) how they travel inside {@link AppendEntries}.
 *
 * <p>A record is {@code version(1) kind(1) index(varint) term(varint) payloadLength(varint)
 * payload CRC32C(4, big-endian, over every byte before it)}. Varints are unsigned LEB128 in their
 * shortest form. A record is self-delimiting, so records can be laid end to end and read back one
 * at a time with {@link #decode(ByteBuffer)}. The entry body (kind to payload) has exactly one
 * implementation here, which {@link MessageCodec} reuses.
 *
 * <p>Malformed bytes of every kind (truncated, corrupt, unknown version or kind, out-of-range
 * length, index or term) give a {@link CodecException} naming the problem and its offset; every
 * length is bounded before anything is allocated. Stateless and thread-safe.
 */
public final class LogEntryCodec {
  /** The first byte of every record: 0xE ("entry") in the high nibble, format version 1 low. */
  static final byte RECORD_VERSION = (byte) 0xE1;

  /** The fewest bytes an entry body can take: kind, and one byte each for index, term, length. */
  static final int MIN_BODY_BYTES = 4;

  private static final String RECORD = "log entry record";
  private static final byte[] EMPTY_PAYLOAD = new byte[0];
  private static final EntryKind[] KIND_BY_CODE = new EntryKind[256];

  static {
    // A table instead of EntryKind.fromCode: that clones values() on every call.
    for (EntryKind kind : EntryKind.values()) {
      KIND_BY_CODE[kind.code()] = kind;
    }
  }

  private LogEntryCodec() {}

  /** The entry as one record in an array of exactly {@link #encodedSize} bytes. */
  public static byte[] encode(LogEntry entry) {
    byte[] record = new byte[encodedSize(entry)];
    encodeTo(entry, ByteBuffer.wrap(record));
    return record;
  }

  /**
   * Writes the entry as one record at {@code out}'s position and advances it. Throws
   * {@link IllegalArgumentException}, writing nothing, when fewer than {@link #encodedSize} bytes
   * remain.
   */
  public static void encodeTo(LogEntry entry, ByteBuffer out) {
    int size = encodedSize(entry);
    if (out.remaining() < size) {
      throw new IllegalArgumentException("the buffer has " + out.remaining()
          + " bytes left but the record of " + entry + " needs " + size);
    }
    int start = out.position();
    out.put(RECORD_VERSION);
    writeBody(entry, out);
    WireWriter.putInt(out, Checksums.crc32c(out, start, out.position()));
  }

  /**
   * The exact size of the entry's record. Throws {@link IllegalArgumentException} if it would
   * exceed {@link MessageCodec#MAX_FRAME_BYTES}, the largest record a reader accepts.
   */
  public static int encodedSize(LogEntry entry) {
    long size = 1L + bodySize(entry) + Checksums.CRC_BYTES;
    if (size > MessageCodec.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("the record of " + entry + " would take " + size
          + " bytes, more than the limit of " + MessageCodec.MAX_FRAME_BYTES);
    }
    return (int) size;
  }

  /** Decodes an array that holds exactly one record; trailing bytes are an error. */
  public static LogEntry decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    LogEntry entry = decode(buf);
    if (buf.hasRemaining()) {
      throw new CodecException(RECORD + " at offset " + buf.position() + ": " + buf.remaining()
          + " trailing bytes after the record");
    }
    return entry;
  }

  /**
   * Decodes the record at {@code buf}'s position and advances the position past it. On failure
   * the position is left unchanged. Offsets in error messages count from that position.
   */
  public static LogEntry decode(ByteBuffer buf) {
    int start = buf.position();
    WireReader scan = new WireReader(buf, RECORD, start, start, buf.limit());
    int version = scan.readUnsignedByte("version");
    if (version != (RECORD_VERSION & 0xFF)) {
      throw scan.error(start, String.format("unknown version byte 0x%02x (expected 0x%02x)",
          version, RECORD_VERSION & 0xFF));
    }
    int bodyStart = scan.position();
    // First find where the record ends and check its checksum, so that a flipped bit reads as
    // corruption rather than as, say, an unknown entry kind; then decode the verified body.
    scan.readUnsignedByte("entry kind");
    scan.readVarLong("entry index");
    scan.readVarLong("entry term");
    scan.skip("payload", scan.readLength("payload length", MessageCodec.MAX_FRAME_BYTES));
    int bodyEnd = scan.position();
    int storedCrc = scan.readInt("checksum");
    int actualCrc = Checksums.crc32c(buf, start, bodyEnd);
    if (storedCrc != actualCrc) {
      throw scan.error(bodyEnd, String.format(
          "checksum mismatch (stored 0x%08x, computed 0x%08x): the record is corrupt",
          storedCrc, actualCrc));
    }
    LogEntry entry = readBody(new WireReader(buf, RECORD, start, bodyStart, bodyEnd));
    buf.position(bodyEnd + Checksums.CRC_BYTES);
    return entry;
  }

  /** Bytes of the entry body: kind, index, term, payload length and payload. */
  static long bodySize(LogEntry entry) {
    int payloadLength = entry.payload().length;
    return 1L + WireWriter.varLongSize(entry.index()) + WireWriter.varLongSize(entry.term())
        + WireWriter.varLongSize(payloadLength) + payloadLength;
  }

  /** Writes the entry body; {@code out} must have {@link #bodySize} bytes left. */
  static void writeBody(LogEntry entry, ByteBuffer out) {
    out.put((byte) entry.kind().code());
    WireWriter.putVarLong(out, entry.index());
    WireWriter.putVarLong(out, entry.term());
    WireWriter.putVarLong(out, entry.payload().length);
    out.put(entry.payload());
  }

  /** Reads and validates one entry body. */
  static LogEntry readBody(WireReader in) {
    int kindAt = in.position();
    int kindCode = in.readUnsignedByte("entry kind");
    EntryKind kind = KIND_BY_CODE[kindCode];
    if (kind == null) {
      throw in.error(kindAt, "unknown entry kind " + kindCode);
    }
    int indexAt = in.position();
    long index = in.readVarLong("entry index");
    if (index < 1) {
      throw in.error(indexAt, "entry index must be at least 1, got " + index);
    }
    int termAt = in.position();
    long term = in.readVarLong("entry term");
    if (term < 1) {
      throw in.error(termAt, "entry term must be at least 1, got " + term);
    }
    int length = in.readLength("payload length", MessageCodec.MAX_FRAME_BYTES);
    // Empty payloads (no-ops) share one array: a frame of many of them then costs no array each.
    byte[] payload = length == 0 ? EMPTY_PAYLOAD : in.readBytes("payload", length);
    return new LogEntry(index, term, kind, payload);
  }
}
