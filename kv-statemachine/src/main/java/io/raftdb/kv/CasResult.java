package io.raftdb.kv;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a {@link KvCommand.CompareAndSet}.
 *
 * @param succeeded whether the expectation held and the new value was written
 * @param current the key's value after the command: the new value (or empty, for a removal) if it
 *     succeeded, otherwise the value that did not match (empty if the key was absent)
 */
public record CasResult(boolean succeeded, Optional<ByteString> current) {
  /** Checks that {@code current} is not {@code null}. */
  public CasResult {
    Objects.requireNonNull(current, "current");
  }
}
