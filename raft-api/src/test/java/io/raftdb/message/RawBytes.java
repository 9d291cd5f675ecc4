package io.raftdb.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * Builds raw bytes field by field, independently of the codec, so that tests can craft frames
 * and records that the codec would never write (unknown types, zero indexes, huge counts) yet
 * that carry a correct checksum and so reach the checks behind it.
 */
final class RawBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static RawBytes start() {
    return new RawBytes();
  }

  RawBytes u8(int value) {
    out.write(value);
    return this;
  }

  RawBytes int32(int value) {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
    return this;
  }

  /** Unsigned LEB128, shortest form. */
  RawBytes varint(long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) (value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
    return this;
  }

  RawBytes bytes(byte... bytes) {
    out.writeBytes(bytes);
    return this;
  }

  /** A node id as the codec writes it: varint length and ASCII bytes. */
  RawBytes nodeId(String value) {
    byte[] ascii = value.getBytes(StandardCharsets.UTF_8);
    return varint(ascii.length).bytes(ascii);
  }

  /** The start of every body: groupId, from, term. */
  RawBytes commonFields(long groupId, String from, long term) {
    return varint(groupId).nodeId(from).varint(term);
  }

  /** An entry body: kind, index, term, payload length, payload. */
  RawBytes entry(int kind, long index, long term, byte[] payload) {
    return u8(kind).varint(index).varint(term).varint(payload.length).bytes(payload);
  }

  byte[] toBytes() {
    return out.toByteArray();
  }

  /** A message frame around {@code body} with a correct length and checksum. */
  static byte[] frame(int type, byte[] body) {
    byte[] head = start().u8(MessageCodec.FORMAT & 0xFF).u8(type).int32(body.length).bytes(body)
        .toBytes();
    return withCrc(head);
  }

  /** A log record: version, body, and a correct checksum. */
  static byte[] record(byte[] body) {
    return withCrc(start().u8(LogEntryCodec.RECORD_VERSION & 0xFF).bytes(body).toBytes());
  }

  /** {@code bytes} followed by their CRC32C, big-endian. */
  static byte[] withCrc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return start().bytes(bytes).int32((int) crc.getValue()).toBytes();
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
