package io.raftdb.core.session;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Unsigned LEB128 varints of non-negative longs, for the session formats. */
final class Varints {
  private Varints() {}

  static void write(ByteArrayOutputStream out, long value) {
    byte[] bytes = new byte[10];
    out.write(bytes, 0, write(bytes, 0, value));
  }

  /** Writes {@code value} into {@code out} at {@code at}; returns the index after it. */
  static int write(byte[] out, int at, long value) {
    if (value < 0) {
      throw new IllegalArgumentException("negative value " + value);
    }
    while ((value & ~0x7FL) != 0) {
      out[at++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[at++] = (byte) value;
    return at;
  }

  /** How many bytes {@code value} takes (it must not be negative). */
  static int size(long value) {
    return value == 0 ? 1 : (63 - Long.numberOfLeadingZeros(value)) / 7 + 1;
  }

  /**
   * Reads a non-negative varint.
   *
   * @throws IllegalArgumentException if it is truncated, too long or negative
   */
  static long read(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      if (!in.hasRemaining()) {
        throw new IllegalArgumentException("truncated varint");
      }
      int b = in.get() & 0xFF;
      value |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than 63 bits");
  }
}
