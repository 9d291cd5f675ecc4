package io.raftdb.message;

import io.raftdb.NodeId;
import java.nio.ByteBuffer;

/**
 * Writes the primitive fields shared by message frames and log records, and tells their exact
 * sizes, so that every encoding can size its output once and write it without growing.
 * Only single-byte relative puts are used, so the buffer's byte order does not matter.
 */
final class WireWriter {
  private WireWriter() {}

  /** Bytes that {@link #putVarLong} takes for {@code value}: 1 to 10. */
  static int varLongSize(long value) {
    // 7 payload bits per byte; "| 1" makes zero count as one bit, i.e. one byte.
    return (63 - Long.numberOfLeadingZeros(value | 1)) / 7 + 1;
  }

  /** An unsigned LEB128 varint, shortest form; negative values take ten bytes. */
  static void putVarLong(ByteBuffer out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.put((byte) (value & 0x7F | 0x80));
      value >>>= 7;
    }
    out.put((byte) value);
  }

  /** A four-byte big-endian int. */
  static void putInt(ByteBuffer out, int value) {
    out.put((byte) (value >>> 24));
    out.put((byte) (value >>> 16));
    out.put((byte) (value >>> 8));
    out.put((byte) value);
  }

  /** Bytes that {@link #putNodeId} takes for {@code id}. */
  static int nodeIdSize(NodeId id) {
    int length = id.value().length();
    return varLongSize(length) + length;
  }

  /**
   * A node id as its UTF-8 byte length and bytes. {@link NodeId} admits only ASCII letters,
   * digits, '-', '_' and '.', whose UTF-8 form is one byte per char, so the chars are written
   * directly instead of through a temporary array.
   */
  static void putNodeId(ByteBuffer out, NodeId id) {
    String value = id.value();
    putVarLong(out, value.length());
    for (int i = 0; i < value.length(); i++) {
      out.put((byte) value.charAt(i));
    }
  }
}
