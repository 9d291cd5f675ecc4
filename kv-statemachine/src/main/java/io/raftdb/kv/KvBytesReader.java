package io.raftdb.kv;

import java.util.Arrays;
import java.util.Optional;

/**
 * Reads the fields of one request or result and never past its end. Every problem is a
 * {@link KvException} naming the field and its offset, so a bad byte can be found in a hex dump;
 * no length field is trusted before the bytes it announces are known to be there, so a forged
 * length cannot make it allocate. Not thread-safe.
 */
final class KvBytesReader {
  private final byte[] bytes;
  /** Where this reader's bytes begin (offsets in messages count from here) and end. */
  private final int start;
  private final int end;
  private final String what;
  private int pos;

  /** A reader of {@code bytes}, which {@code what} names in messages ("request", "result"). */
  KvBytesReader(byte[] bytes, String what) {
    this(bytes, 0, bytes.length, what);
  }

  private KvBytesReader(byte[] bytes, int start, int end, String what) {
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    this.what = what;
    this.pos = start;
  }

  int readByte(String field) {
    return readByte(field, "");
  }

  /**
   * As {@link #readByte(String)} for the field named {@code field + suffix}: the name is only
   * built for an error, not on every read.
   */
  private int readByte(String field, String suffix) {
    if (pos >= end) {
      throw malformed("truncated: no " + field + suffix + " at offset " + (pos - start));
    }
    return bytes[pos++] & 0xFF;
  }

  /**
   * A non-negative int as an unsigned LEB128 varint. Only the shortest form is accepted, so that
   * every request has exactly one encoding.
   */
  int readVarInt(String field) {
    return readVarInt(field, "");
  }

  /** As {@link #readVarInt(String)} for the field named {@code field + suffix}. */
  private int readVarInt(String field, String suffix) {
    int at = pos;
    long value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = readByte(field, suffix);
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          throw malformed(field + suffix + " at offset " + (at - start)
              + " is a varint with a redundant last byte");
        }
        if (value > Integer.MAX_VALUE) {
          throw malformed(field + suffix + " at offset " + (at - start) + " is " + value
              + ", over 2^31-1");
        }
        return (int) value;
      }
    }
    throw malformed(field + suffix + " at offset " + (at - start)
        + " is a varint longer than 5 bytes");
  }

  /** A signed 64-bit number, 8 bytes big-endian. */
  long readLong(String field) {
    if (end - pos < Long.BYTES) {
      throw malformed("truncated: " + field + " at offset " + (pos - start) + " needs 8 bytes");
    }
    long value = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      value = value << 8 | (bytes[pos++] & 0xFF);
    }
    return value;
  }

  /** A length-prefixed run of bytes, copied (a byte string keeps its own array). */
  byte[] readNested(String field) {
    int length = nestedLength(field);
    byte[] copy = Arrays.copyOfRange(bytes, pos, pos + length);
    pos += length;
    return copy;
  }

  /**
   * A length-prefixed nested request or result, read in place: a reader of just those bytes (a
   * batch's elements are decoded without copying them first).
   */
  KvBytesReader nested(String field) {
    int length = nestedLength(field);
    KvBytesReader inner = new KvBytesReader(bytes, pos, pos + length, what);
    pos += length;
    return inner;
  }

  private int nestedLength(String field) {
    int at = pos;
    int length = readVarInt(field, " length");
    if (length > end - pos) {
      throw malformed("truncated: " + field + " at offset " + (at - start) + " announces "
          + length + " bytes but " + (end - pos) + " remain");
    }
    return length;
  }

  /** A presence byte: true for present, false for absent, anything else is malformed. */
  boolean readPresence(String field) {
    int at = pos;
    int b = readByte(field, " presence");
    if (b != KvWire.ABSENT && b != KvWire.PRESENT) {
      throw malformed(field + " presence at offset " + (at - start) + " is " + b + ", not 0 or 1");
    }
    return b == KvWire.PRESENT;
  }

  /**
   * A length-prefixed byte string of at most {@code max} bytes; a longer one that is all there
   * fails with {@code tooLarge}, naming {@code limitName}.
   */
  ByteString readBytes(String field, int max, KvError tooLarge, String limitName) {
    byte[] value = readNested(field);
    if (value.length > max) {
      throw new KvException(tooLarge,
          field + " of " + value.length + " bytes exceeds " + limitName + " " + max);
    }
    return ByteString.wrap(value);
  }

  /** A length-prefixed byte string with no limit but the bytes present. */
  ByteString readBytes(String field) {
    return readBytes(field, Integer.MAX_VALUE, KvError.MALFORMED, "");
  }

  /** A presence byte, then a byte string if present, limited as {@link #readBytes}. */
  Optional<ByteString> readOptional(String field, int max, KvError tooLarge, String limitName) {
    return readPresence(field)
        ? Optional.of(readBytes(field, max, tooLarge, limitName))
        : Optional.empty();
  }

  /** A length-prefixed UTF-8 string. */
  String readUtf8(String field) {
    return readBytes(field).toStringUtf8();
  }

  /** Fails unless every byte has been read: trailing bytes mean the sender meant something else. */
  void expectEnd() {
    if (pos != end) {
      throw malformed((end - pos) + " unexpected bytes after the " + what
          + " at offset " + (pos - start));
    }
  }

  /** An exception naming this reader's subject. */
  KvException malformed(String detail) {
    return new KvException(KvError.MALFORMED, "malformed " + what + ": " + detail);
  }
}
