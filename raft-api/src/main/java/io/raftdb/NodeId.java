package io.raftdb;

import java.util.Objects;

/**
 * The stable name of one member of a Raft group, such as {@code "n1"}.
 *
 * <p>Immutable and thread-safe. A name is 1 to {@value #MAX_LENGTH} characters of letters,
 * digits, {@code '-'}, {@code '_'} or {@code '.'}, so that it is safe in file names, logs and on
 * the wire.
 */
public record NodeId(String value) implements Comparable<NodeId> {
  /** The longest name accepted. */
  public static final int MAX_LENGTH = 64;

  /** Validates the name; throws {@link IllegalArgumentException} on a bad one. */
  public NodeId {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "node id must be 1.." + MAX_LENGTH + " characters, got " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.';
      if (!ok) {
        throw new IllegalArgumentException("node id '" + value + "' has illegal character '" + c + "'");
      }
    }
  }

  /** Shorthand for {@code new NodeId(value)}. */
  public static NodeId of(String value) {
    return new NodeId(value);
  }

  @Override
  public int compareTo(NodeId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
