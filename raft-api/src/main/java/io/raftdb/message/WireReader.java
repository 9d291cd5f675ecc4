package io.raftdb.message;

import io.raftdb.NodeId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one frame or record from the byte range {@code [position, limit)} of a
 * buffer and never past its limit. Every failure is a {@link CodecException} that names the
 * field and its offset from the start of the frame or record, so a bad byte can be found with a
 * hex dump.
 *
 * <p>Only absolute reads are used, so the buffer's own position, byte order and kind (heap,
 * direct, read-only) do not matter. Not thread-safe: one reader per decode.
 */
final class WireReader {
  /**
   * Ids decoded lately, by a hash of their bytes: a node hears the same few names in every
   * message, and building each again cost three objects per message. Slots are shared by every
   * thread without a lock: each holds an immutable pair (final fields, so a reader sees it whole
   * or not at all), and a stale or overwritten slot only costs a miss.
   */
  private static final DecodedId[] RECENT_IDS = new DecodedId[64];

  private final ByteBuffer buf;
  private final String label;
  private final int base;
  private final int limit;
  private int pos;

  /**
   * A reader of {@code buf} from {@code pos} up to {@code limit}; offsets in messages are counted
   * from {@code base}, the first byte of what {@code label} names ("message frame", ...).
   */
  WireReader(ByteBuffer buf, String label, int base, int pos, int limit) {
    this.buf = buf;
    this.label = label;
    this.base = base;
    this.pos = pos;
    this.limit = limit;
  }

  /** The absolute buffer index of the next byte to read. */
  int position() {
    return pos;
  }

  /** How many bytes remain before the limit. */
  int remaining() {
    return limit - pos;
  }

  /** One byte, 0..255. */
  int readUnsignedByte(String field) {
    require(1, field);
    return buf.get(pos++) & 0xFF;
  }

  /** A byte of flag bits; a bit outside {@code knownBits} is an error, not silently ignored. */
  int readFlags(String field, int knownBits) {
    int at = pos;
    int flags = readUnsignedByte(field);
    if ((flags & ~knownBits) != 0) {
      throw error(at, String.format("%s 0x%02x has unknown bits (known: 0x%02x)", field, flags,
          knownBits));
    }
    return flags;
  }

  /** A four-byte big-endian int, whatever the buffer's byte order. */
  int readInt(String field) {
    require(4, field);
    int value = (buf.get(pos) & 0xFF) << 24 | (buf.get(pos + 1) & 0xFF) << 16
        | (buf.get(pos + 2) & 0xFF) << 8 | buf.get(pos + 3) & 0xFF;
    pos += 4;
    return value;
  }

  /**
   * An unsigned LEB128 varint of up to ten bytes holding any long. Only the canonical (shortest)
   * form is accepted, so every value has exactly one encoding and a decoded frame re-encodes to
   * the same bytes.
   */
  long readVarLong(String field) {
    int at = pos;
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      if (pos >= limit) {
        throw error(at, "truncated: " + field + " (varint) runs past the end");
      }
      int b = buf.get(pos++) & 0xFF;
      if (shift == 63 && b > 1) {
        throw error(at, field + " (varint) overflows 64 bits");
      }
      value |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        if (b == 0 && shift > 0) {
          throw error(at, field + " (varint) is not in its shortest form");
        }
        return value;
      }
    }
  }

  /**
   * A varint that must not be negative: terms, indexes, offsets and rounds start at 0, and only
   * a sender that is broken or hostile writes the ten-byte varint of a negative long.
   */
  long readNonNegativeVarLong(String field) {
    int at = pos;
    long value = readVarLong(field);
    if (value < 0) {
      throw error(at, field + " must not be negative, got " + value);
    }
    return value;
  }

  /**
   * A varint length of what follows, checked against {@code max} and against the bytes that
   * remain before anything is allocated for it.
   */
  int readLength(String field, int max) {
    return readLength(field, "", max);
  }

  /** As {@link #readLength(String, int)}, for the field named {@code field + suffix}. */
  private int readLength(String field, String suffix, int max) {
    int at = pos;
    long length = readVarLong(field);
    if (length < 0 || length > max) {
      throw error(at, field + suffix + " " + length + " is outside 0.." + max);
    }
    if (length > remaining()) {
      throw error(at, "truncated: " + field + suffix + " " + length + " exceeds the "
          + remaining() + " bytes that remain");
    }
    return (int) length;
  }

  /**
   * A varint count of items of which each takes at least {@code minBytesEach} bytes: a count
   * that the remaining bytes could not hold is rejected before any list is sized for it.
   */
  int readCount(String field, int minBytesEach) {
    int at = pos;
    long count = readVarLong(field);
    long fits = remaining() / minBytesEach;
    if (count < 0 || count > fits) {
      throw error(at, field + " " + count + " cannot fit in the " + remaining()
          + " remaining bytes (at most " + fits + ")");
    }
    return (int) count;
  }

  /** {@code length} bytes copied into a new array; the length must already be bounded. */
  byte[] readBytes(String field, int length) {
    require(length, field);
    byte[] bytes = new byte[length];
    if (buf.hasArray()) {
      // A plain array copy: the hot path of every decoded entry, cheaper than the buffer's checks.
      System.arraycopy(buf.array(), buf.arrayOffset() + pos, bytes, 0, length);
    } else {
      buf.get(pos, bytes, 0, length);
    }
    pos += length;
    return bytes;
  }

  /** Passes over {@code length} bytes. */
  void skip(String field, int length) {
    require(length, field);
    pos += length;
  }

  /**
   * A node id: a varint byte length, then UTF-8. The id must pass {@link NodeId}'s own
   * validation; a bad one is a {@link CodecException}.
   */
  NodeId readNodeId(String field) {
    int at = pos;
    NodeId id = readOptionalNodeId(field);
    if (id == null) {
      throw error(at, field + " is empty");
    }
    return id;
  }

  /** As {@link #readNodeId}, where a zero length stands for "none": then {@code null}. */
  NodeId readOptionalNodeId(String field) {
    int at = pos;
    int length = readLength(field, " length", NodeId.MAX_LENGTH);
    if (length == 0) {
      return null;
    }
    int hash = 1;
    for (int i = 0; i < length; i++) {
      hash = 31 * hash + buf.get(pos + i);
    }
    int slot = hash & (RECENT_IDS.length - 1);
    DecodedId recent = RECENT_IDS[slot];
    if (recent != null && recent.matches(buf, pos, length)) {
      pos += length;
      return recent.id;
    }
    byte[] utf8 = readBytes(field, length);
    try {
      NodeId id = new NodeId(new String(utf8, StandardCharsets.UTF_8));
      RECENT_IDS[slot] = new DecodedId(utf8, id);
      return id;
    } catch (IllegalArgumentException e) {
      throw error(at, "invalid " + field + ": " + e.getMessage());
    }
  }

  private record DecodedId(byte[] utf8, NodeId id) {
    boolean matches(ByteBuffer buf, int from, int length) {
      if (utf8.length != length) {
        return false;
      }
      for (int i = 0; i < length; i++) {
        if (utf8[i] != buf.get(from + i)) {
          return false;
        }
      }
      return true;
    }
  }

  /** An exception about the byte at absolute index {@code at}. */
  CodecException error(int at, String problem) {
    return new CodecException(label + " at offset " + (at - base) + ": " + problem);
  }

  private void require(int length, String field) {
    if (limit - pos < length) {
      throw error(pos, "truncated: " + field + " needs " + length + " bytes but only "
          + (limit - pos) + " remain");
    }
  }
}
