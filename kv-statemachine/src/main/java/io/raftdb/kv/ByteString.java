package io.raftdb.kv;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable sequence of bytes with value semantics: the keys and values of the key-value
 * store. Ordered by unsigned lexicographic comparison of the bytes (so {@code 0x7f < 0x80}, and a
 * proper prefix sorts first), which is the order of range scans. The empty string is a valid key
 * and the smallest one.
 *
 * <p>Factories copy the array they are given and {@link #toByteArray()} returns a copy, so no
 * caller can change a string after the fact. Thread-safe.
 */
public final class ByteString implements Comparable<ByteString> {
  /** The empty byte string. */
  public static final ByteString EMPTY = new ByteString(new byte[0]);

  private static final int SHOWN_BYTES = 48;

  private final byte[] bytes;
  /** 0 until computed; racy but idempotent, as in {@link String#hashCode()}. */
  private int hash;

  private ByteString(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}. */
  public static ByteString copyOf(byte[] bytes) {
    return new ByteString(bytes.clone());
  }

  /** A copy of {@code length} bytes of {@code bytes} from {@code offset}. */
  public static ByteString copyOf(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    return new ByteString(Arrays.copyOfRange(bytes, offset, offset + length));
  }

  /** The UTF-8 encoding of {@code text}. */
  public static ByteString utf8(String text) {
    return new ByteString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Takes ownership of {@code bytes}, which nobody may change afterwards. */
  static ByteString wrap(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new ByteString(bytes);
  }

  /** The concatenation of this and {@code other}. */
  public ByteString concat(ByteString other) {
    if (other.bytes.length == 0) {
      return this;
    }
    if (bytes.length == 0) {
      return other;
    }
    byte[] joined = Arrays.copyOf(bytes, bytes.length + other.bytes.length);
    System.arraycopy(other.bytes, 0, joined, bytes.length, other.bytes.length);
    return new ByteString(joined);
  }

  /** The number of bytes. */
  public int size() {
    return bytes.length;
  }

  /** Whether there are no bytes. */
  public boolean isEmpty() {
    return bytes.length == 0;
  }

  /** The byte at {@code index}. */
  public byte byteAt(int index) {
    return bytes[index];
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The bytes decoded as UTF-8 (malformed sequences become U+FFFD). */
  public String toStringUtf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Copies the bytes into {@code target} at {@code offset}; for encoders, without a copy. */
  void copyTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, bytes.length);
  }

  /** Writes the bytes to {@code out}, without a copy. */
  void writeTo(OutputStream out) throws IOException {
    out.write(bytes);
  }

  @Override
  public int compareTo(ByteString other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteString b && Arrays.equals(bytes, b.bytes);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(bytes);
      hash = h;
    }
    return h;
  }

  /**
   * A readable rendering for logs and messages: printable ASCII as is, other bytes as
   * {@code \xNN}, cut after {@value #SHOWN_BYTES} bytes with the total length.
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(Math.min(bytes.length, SHOWN_BYTES) + 8).append('"');
    for (int i = 0; i < Math.min(bytes.length, SHOWN_BYTES); i++) {
      int b = bytes[i] & 0xFF;
      if (b >= 0x20 && b < 0x7F && b != '"' && b != '\\') {
        s.append((char) b);
      } else {
        s.append(String.format("\\x%02x", b));
      }
    }
    s.append('"');
    if (bytes.length > SHOWN_BYTES) {
      s.append("...(").append(bytes.length).append(" bytes)");
    }
    return s.toString();
  }
}
