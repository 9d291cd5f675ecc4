package io.raftdb.message;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The one binary codec of {@link RaftMessage}s, used by every transport and by the simulated
 * network.
 *
 * <p>A frame is:
 * <pre>
 * offset 0  format   1 byte  0xB1: 0xB ("RaftDB message") high nibble, format version 1 low
 * offset 1  type     1 byte  which message (see MessageBodies)
 * offset 2  length   4 bytes big-endian body length, 0 .. MAX_FRAME_BYTES - 10
 * offset 6  body     length bytes, varint fields (see MessageBodies)
 * then      CRC32C   4 bytes big-endian, over every byte before it
 * </pre>
 * so a frame's total length is {@code 10 + length} and a stream reader can find its end from the
 * first six bytes. Log entries inside {@link AppendEntries} take about payload + 5 to 15 bytes.
 *
 * <p>Encoding sizes the frame first and writes it into one exact-size array. Decoding checks the
 * format byte, the length and the checksum before it reads the body, bounds every length and
 * count by the bytes that remain before allocating (and the entry count by
 * {@link #MAX_ENTRIES_PER_MESSAGE}, so that the decoded heap stays within about twice the largest
 * frame), and accepts only canonical encodings.
 *
 * <p>A valid checksum proves only that the bytes are the sender's, so decoding also refuses what
 * no honest member can send whatever state the receiver is in: a negative term, index, offset,
 * round or conflict field; entries that do not run consecutively from
 * {@code prevLogIndex + 1}, whose terms decrease or exceed the message's term, or whose last
 * index would overflow; a snapshot chunk of index or term 0, of a term above the message's, or
 * whose end would overflow. What depends on the receiver's state (its term, log, role) is the
 * protocol's to check. Any malformed input gives a {@link CodecException} naming the problem and
 * its offset in the frame; nothing is partially decoded. Stateless and thread-safe.
 */
public final class MessageCodec {
  /** The largest frame, header and checksum included, that is written or accepted: 64 MiB. */
  public static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;

  /**
   * The most entries one {@link AppendEntries} may carry, written or accepted: 2^20.
   *
   * <p>Why a count limit on top of the frame limit: an entry costs as little as four bytes on the
   * wire but about {@link #ENTRY_HEAP_BYTES} on the heap, so without it one 64 MiB frame of empty
   * entries would decode into some 16 million objects, about 1 GiB. With it, the entries' fixed
   * cost is at most {@code MAX_ENTRIES_PER_MESSAGE * ENTRY_HEAP_BYTES} = {@link #MAX_FRAME_BYTES}
   * and their payloads are copies of frame bytes, so a decoded frame takes at most about twice
   * the largest frame. A leader must split larger batches (the default
   * {@code RaftConfig.maxAppendBytes} of 1 MiB stays far below either limit).
   */
  public static final int MAX_ENTRIES_PER_MESSAGE = 1 << 20;

  /**
   * A generous estimate of the heap one decoded entry without payload takes: the
   * {@link LogEntry} object (about 40 bytes), its slot in the entry list and, for entries with a
   * payload, the array's header. {@link #MAX_ENTRIES_PER_MESSAGE} is derived from it.
   */
  static final int ENTRY_HEAP_BYTES = MAX_FRAME_BYTES / MAX_ENTRIES_PER_MESSAGE;

  /** The first byte of every frame. */
  static final byte FORMAT = (byte) 0xB1;
  /** Format byte, type byte and the four-byte body length. */
  static final int HEADER_BYTES = 6;
  /** The longest body that fits in {@link #MAX_FRAME_BYTES}. */
  static final int MAX_BODY_BYTES = MAX_FRAME_BYTES - HEADER_BYTES - Checksums.CRC_BYTES;

  private static final String FRAME = "message frame";

  private MessageCodec() {}

  /**
   * The message as one frame. Throws {@link IllegalArgumentException} if the frame would exceed
   * {@link #MAX_FRAME_BYTES} or carry more than {@link #MAX_ENTRIES_PER_MESSAGE} entries (an
   * AppendEntries batch must be split before that).
   *
   * <p>Encoding checks only these limits; the meaning of the fields is checked when decoding
   * (see {@link #decode(ByteBuffer)}), so a message that no honest member would send can still be
   * encoded, and is then refused by every receiver.
   */
  public static byte[] encode(RaftMessage message) {
    Objects.requireNonNull(message, "message");
    if (message instanceof AppendEntries a && a.entries().size() > MAX_ENTRIES_PER_MESSAGE) {
      throw new IllegalArgumentException("an AppendEntries of " + a.entries().size()
          + " entries exceeds the limit of " + MAX_ENTRIES_PER_MESSAGE + " per message");
    }
    long bodySize = MessageBodies.size(message);
    if (bodySize > MAX_BODY_BYTES) {
      throw new IllegalArgumentException("the frame of " + message.getClass().getSimpleName()
          + " would take " + (bodySize + HEADER_BYTES + Checksums.CRC_BYTES)
          + " bytes, more than the limit of " + MAX_FRAME_BYTES);
    }
    int bodyEnd = HEADER_BYTES + (int) bodySize;
    byte[] frame = new byte[bodyEnd + Checksums.CRC_BYTES];
    ByteBuffer out = ByteBuffer.wrap(frame);
    out.put(FORMAT);
    out.put((byte) MessageBodies.typeOf(message));
    WireWriter.putInt(out, (int) bodySize);
    MessageBodies.write(message, out);
    if (out.position() != bodyEnd) {
      // Only a bug that lets size() and write() disagree can get here.
      throw new IllegalStateException("wrote " + (out.position() - HEADER_BYTES)
          + " body bytes for " + message + " but sized " + bodySize);
    }
    WireWriter.putInt(out, Checksums.crc32c(out, 0, bodyEnd));
    return frame;
  }

  /** Decodes an array that holds exactly one frame; trailing bytes are an error. */
  public static RaftMessage decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    RaftMessage message = decode(buf);
    if (buf.hasRemaining()) {
      throw new CodecException(FRAME + " at offset " + buf.position() + ": " + buf.remaining()
          + " trailing bytes after the frame");
    }
    return message;
  }

  /**
   * Decodes the frame at {@code buf}'s position and advances the position past it (bytes after
   * it are left for the next call). On failure the position is left unchanged. Offsets in error
   * messages count from that position.
   */
  public static RaftMessage decode(ByteBuffer buf) {
    int start = buf.position();
    WireReader header = new WireReader(buf, FRAME, start, start, buf.limit());
    int format = header.readUnsignedByte("format byte");
    if (format != (FORMAT & 0xFF)) {
      throw header.error(start, String.format(
          "unknown format/version byte 0x%02x (expected 0x%02x)", format, FORMAT & 0xFF));
    }
    int typeAt = header.position();
    int type = header.readUnsignedByte("message type");
    int lengthAt = header.position();
    int bodyLength = header.readInt("body length");
    if (bodyLength < 0 || bodyLength > MAX_BODY_BYTES) {
      throw header.error(lengthAt,
          "body length " + bodyLength + " is outside 0.." + MAX_BODY_BYTES);
    }
    int bodyStart = header.position();
    if (header.remaining() < bodyLength + Checksums.CRC_BYTES) {
      throw header.error(start, "truncated: the frame needs "
          + (HEADER_BYTES + bodyLength + Checksums.CRC_BYTES) + " bytes but only "
          + (header.remaining() + HEADER_BYTES) + " are available");
    }
    int bodyEnd = bodyStart + bodyLength;
    header.skip("body", bodyLength);
    int storedCrc = header.readInt("checksum");
    int actualCrc = Checksums.crc32c(buf, start, bodyEnd);
    if (storedCrc != actualCrc) {
      throw header.error(bodyEnd, String.format(
          "checksum mismatch (stored 0x%08x, computed 0x%08x): the frame is corrupt",
          storedCrc, actualCrc));
    }
    WireReader body = new WireReader(buf, FRAME, start, bodyStart, bodyEnd);
    RaftMessage message = MessageBodies.read(type, typeAt, body);
    if (body.remaining() != 0) {
      throw body.error(body.position(), body.remaining() + " unread bytes at the end of the "
          + message.getClass().getSimpleName() + " body");
    }
    buf.position(bodyEnd + Checksums.CRC_BYTES);
    return message;
  }
}
