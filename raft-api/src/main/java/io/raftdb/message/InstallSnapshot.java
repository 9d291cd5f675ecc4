package io.raftdb.message;

import io.raftdb.NodeId;
import java.util.Objects;

/**
 * The leader ships a snapshot to a follower that needs entries the leader no longer has
 * (thesis §5.3), as consecutive chunks of the snapshot's stored bytes.
 *
 * @param snapshotIndex the last index the snapshot covers
 * @param snapshotTerm the term of that entry
 * @param offset where {@code data} starts in the stored snapshot
 * @param data the chunk
 * @param done whether this is the last chunk
 */
public record InstallSnapshot(long groupId, NodeId from, long term, long snapshotIndex,
    long snapshotTerm, long offset, byte[] data, boolean done) implements RaftMessage {
  /** Validates the fields. */
  public InstallSnapshot {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(data, "data");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InstallSnapshot s && s.groupId == groupId && s.from.equals(from)
        && s.term == term && s.snapshotIndex == snapshotIndex && s.snapshotTerm == snapshotTerm
        && s.offset == offset && s.done == done && java.util.Arrays.equals(s.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(groupId, from, term, snapshotIndex, offset) * 31
        + java.util.Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "InstallSnapshot[" + from + " t" + term + " " + snapshotIndex + "@" + snapshotTerm
        + " offset " + offset + " " + data.length + "B" + (done ? " done" : "") + "]";
  }
}
