package io.raftdb.kv;

import java.util.Arrays;
import java.util.Optional;

/**
 * Writes the fields of one request or result into an array. Callers pass the exact size when they
 * know it, so that the usual encode allocates once and copies nothing more; the buffer grows if
 * they do not. Not thread-safe.
 */
final class KvBytesWriter {
  private byte[] buf;
  private int pos;

  KvBytesWriter(int expectedSize) {
    buf = new byte[expectedSize];
  }

  KvBytesWriter writeByte(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
    return this;
  }

  /** A non-negative int as an unsigned LEB128 varint, in its shortest form. */
  KvBytesWriter writeVarInt(int value) {
    ensure(KvWire.varIntSize(value));
    while ((value & ~0x7F) != 0) {
      buf[pos++] = (byte) (value & 0x7F | 0x80);
      value >>>= 7;
    }
    buf[pos++] = (byte) value;
    return this;
  }

  /** A varint length, then the bytes. */
  KvBytesWriter writeBytes(ByteString s) {
    writeVarInt(s.size());
    ensure(s.size());
    s.copyTo(buf, pos);
    pos += s.size();
    return this;
  }

  /** A signed 64-bit number, 8 bytes big-endian. */
  KvBytesWriter writeLong(long value) {
    ensure(Long.BYTES);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[pos++] = (byte) (value >>> shift);
    }
    return this;
  }

  /** A varint length, then {@code bytes}. */
  KvBytesWriter writeBytes(byte[] bytes) {
    return writeBytes(ByteString.wrap(bytes));
  }

  /** A presence byte, then the bytes if present. */
  KvBytesWriter writeOptional(Optional<ByteString> s) {
    writeByte(s.isPresent() ? KvWire.PRESENT : KvWire.ABSENT);
    return s.isPresent() ? writeBytes(s.get()) : this;
  }

  /** A varint length, then the UTF-8 bytes. */
  KvBytesWriter writeUtf8(String text) {
    return writeBytes(ByteString.utf8(text));
  }

  /** The bytes written; the buffer itself when the size was right. */
  byte[] toByteArray() {
    return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
  }

  private void ensure(int n) {
    if (buf.length - pos < n) {
      buf = Arrays.copyOf(buf, Math.max(pos + n, buf.length * 2 + 16));
    }
  }
}
