package io.raftdb.server.resp;

import io.raftdb.kv.ByteString;
import io.raftdb.kv.KvLimits;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reading a command's arguments, with the errors Redis gives for bad ones. */
final class Args {
  private Args() {}

  /** Argument {@code i} as a key, within the store's key limit. */
  static ByteString key(RespCommand c, int i, KvLimits limits) {
    byte[] key = c.arg(i);
    if (key.length > limits.maxKeyBytes()) {
      throw new RespError("ERR key of " + key.length + " bytes exceeds RaftDB's limit of "
          + limits.maxKeyBytes() + " bytes");
    }
    return ByteString.copyOf(key);
  }

  /** Argument {@code i} as a value, within the store's value limit. */
  static ByteString value(RespCommand c, int i, KvLimits limits) {
    byte[] value = c.arg(i);
    if (value.length > limits.maxValueBytes()) {
      throw new RespError("ERR string exceeds maximum allowed size ("
          + limits.maxValueBytes() + " bytes)");
    }
    return ByteString.copyOf(value);
  }

  /** Argument {@code i} as a signed 64-bit integer, as Redis reads one. */
  static long integer(RespCommand c, int i) {
    return c.argAsLong(i);
  }

  /** Argument {@code i} upper-cased, for matching option words. */
  static String word(RespCommand c, int i) {
    return new String(c.arg(i), StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
  }

  /** Argument {@code i} as text (for messages and names). */
  static String text(RespCommand c, int i) {
    return new String(c.arg(i), StandardCharsets.UTF_8);
  }

  /** Bytes a request adds to a batch: its arguments and a little framing each. */
  static int weight(RespCommand c) {
    int bytes = 0;
    for (int i = 0; i < c.size(); i++) {
      bytes += c.arg(i).length + 8;
    }
    return bytes;
  }
}
