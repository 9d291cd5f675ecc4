package io.raftdb.kv;

import io.raftdb.kv.map.PersistentSortedMap;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The snapshot of a key-value store, version 1:
 * <pre>
 *   magic    4 bytes  "RDKV"
 *   version  1 byte   1
 *   count    varint   number of entries
 *   count times: key length (varint), key bytes, value length (varint), value bytes,
 *                keys strictly ascending in unsigned byte order
 * </pre>
 * and nothing after the last entry. Varints are unsigned LEB128 of at most 31 bits. RaftDB's
 * snapshot stores checksum the bytes; this format checks their structure, so that a snapshot of
 * another state machine, of a future version, cut short or out of order is refused with a clear
 * {@link IOException} instead of becoming a wrong state.
 *
 * <p>Entry lengths are not checked against {@link KvLimits}: a snapshot holds state that was
 * accepted under the limits of its time. Lengths are trusted only as the bytes arrive, so a
 * corrupt length cannot make the reader allocate more than the stream holds.
 */
final class KvSnapshotFormat {
  static final byte[] MAGIC = {'R', 'D', 'K', 'V'};
  static final int VERSION = 1;

  private static final int BUFFER_BYTES = 64 * 1024;
  /** Lengths up to this are read into an array allocated at once; longer ones as they arrive. */
  private static final int EAGER_LENGTH = 1 << 20;

  private KvSnapshotFormat() {}

  /** Writes {@code map} to {@code out}, flushing but not closing it. */
  static void write(PersistentSortedMap<ByteString, ByteString> map, OutputStream out)
      throws IOException {
    BufferedOutputStream buffered = new BufferedOutputStream(out, BUFFER_BYTES);
    buffered.write(MAGIC);
    buffered.write(VERSION);
    writeVarInt(buffered, map.size());
    for (Map.Entry<ByteString, ByteString> e : map) {
      writeBytes(buffered, e.getKey());
      writeBytes(buffered, e.getValue());
    }
    buffered.flush();
  }

  private static void writeBytes(OutputStream out, ByteString s) throws IOException {
    writeVarInt(out, s.size());
    s.writeTo(out);
  }

  private static void writeVarInt(OutputStream out, int value) throws IOException {
    while ((value & ~0x7F) != 0) {
      out.write(value & 0x7F | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }

  /**
   * Reads a whole snapshot and builds its map; nothing is kept if it fails.
   *
   * @throws IOException if the stream fails or does not hold exactly one valid snapshot
   */
  static PersistentSortedMap<ByteString, ByteString> read(InputStream stream)
      throws IOException {
    InputStream in = new BufferedInputStream(stream, BUFFER_BYTES);
    byte[] magic = in.readNBytes(MAGIC.length);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IOException("not a key-value snapshot: it starts with "
          + ByteString.copyOf(magic) + ", not \"RDKV\"");
    }
    int version = in.read();
    if (version != VERSION) {
      throw new IOException(version < 0
          ? "key-value snapshot truncated before its version byte"
          : "key-value snapshot has format version " + version + "; this node reads version "
              + VERSION);
    }
    int count = readVarInt(in, "entry count");
    // Not presized from the count: a forged count fails at the first missing entry instead.
    List<Map.Entry<ByteString, ByteString>> entries = new ArrayList<>();
    Comparator<ByteString> order = Comparator.naturalOrder();
    ByteString previous = null;
    for (int i = 0; i < count; i++) {
      ByteString key = readBytes(in, "key of entry " + i + " of " + count);
      if (previous != null && order.compare(previous, key) >= 0) {
        throw new IOException("key-value snapshot out of order: the key of entry " + i
            + " is not above the one before it");
      }
      ByteString value = readBytes(in, "value of entry " + i + " of " + count);
      entries.add(new SimpleImmutableEntry<>(key, value));
      previous = key;
    }
    if (in.read() >= 0) {
      throw new IOException("key-value snapshot has bytes after its " + count + " entries");
    }
    return PersistentSortedMap.fromSorted(order, entries);
  }

  private static ByteString readBytes(InputStream in, String field) throws IOException {
    int length = readVarInt(in, "length of " + field);
    byte[] bytes = length <= EAGER_LENGTH ? new byte[length] : null;
    if (bytes != null) {
      if (in.readNBytes(bytes, 0, length) != length) {
        throw truncated(field);
      }
    } else {
      bytes = in.readNBytes(length); // grows as bytes arrive
      if (bytes.length != length) {
        throw truncated(field);
      }
    }
    return ByteString.wrap(bytes);
  }

  private static int readVarInt(InputStream in, String field) throws IOException {
    long value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw truncated(field);
      }
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (value > Integer.MAX_VALUE - 8) {
          throw new IOException("key-value snapshot: " + field + " is " + value
              + ", over the largest this format allows (2^31-9)");
        }
        return (int) value;
      }
    }
    throw new IOException("key-value snapshot: " + field + " is a varint longer than 5 bytes");
  }

  private static EOFException truncated(String field) {
    return new EOFException("key-value snapshot truncated in the " + field);
  }
}
