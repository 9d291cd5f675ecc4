package io.raftdb.storage;

import io.raftdb.NodeId;
import java.util.List;

/**
 * What a stored snapshot covers.
 *
 * @param index the last log index the snapshot includes
 * @param term the term of that entry
 * @param members the group's voting members at that index
 * @param sizeBytes the size of the whole stored snapshot (header, state, checksum) in bytes
 */
public record SnapshotInfo(long index, long term, List<NodeId> members, long sizeBytes) {
  /** Validates the fields and freezes the member list. */
  public SnapshotInfo {
    if (index < 1 || term < 1 || sizeBytes < 0) {
      throw new IllegalArgumentException("bad snapshot " + index + "@" + term + " " + sizeBytes + "B");
    }
    members = List.copyOf(members);
  }
}
