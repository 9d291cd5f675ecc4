package io.raftdb.message;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of the replicated log. Immutable by contract: the payload array is never modified
 * after construction, by RaftDB or by the caller that made it.
 *
 * <p>Equality compares the payload's contents.
 */
public record LogEntry(long index, long term, EntryKind kind, byte[] payload) {
  private static final byte[] EMPTY = new byte[0];

  /** Validates the fields. */
  public LogEntry {
    if (index < 1) {
      throw new IllegalArgumentException("log index starts at 1, got " + index);
    }
    if (term < 1) {
      throw new IllegalArgumentException("entry term starts at 1, got " + term);
    }
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(payload, "payload");
  }

  /** A command entry. */
  public static LogEntry command(long index, long term, byte[] payload) {
    return new LogEntry(index, term, EntryKind.COMMAND, payload);
  }

  /** A leader's no-op entry. */
  public static LogEntry noOp(long index, long term) {
    return new LogEntry(index, term, EntryKind.NO_OP, EMPTY);
  }

  /** The position of this entry. */
  public io.raftdb.LogPosition position() {
    return new io.raftdb.LogPosition(index, term);
  }

  /** Rough size in bytes on the wire and in memory, used for batching limits. */
  public int sizeEstimate() {
    return payload.length + 24;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogEntry e && e.index == index && e.term == term && e.kind == kind
        && Arrays.equals(e.payload, payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, term, kind) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "LogEntry[" + index + "@" + term + " " + kind + " " + payload.length + "B]";
  }
}
