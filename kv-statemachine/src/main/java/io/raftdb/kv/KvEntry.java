package io.raftdb.kv;

import java.util.Objects;

/**
 * One key and its value, as a scan returns them.
 *
 * @param key the key
 * @param value its value
 */
public record KvEntry(ByteString key, ByteString value) {
  /** Checks that neither part is {@code null}. */
  public KvEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
