package io.raftdb.core.storage.snapshot;

import io.raftdb.storage.SnapshotInfo;

/** The rule of {@code SnapshotStorage.read} for which bytes a chunk holds, shared by the stores. */
final class ChunkRange {
  private ChunkRange() {}

  /**
   * How many bytes a chunk of {@code snapshot} from {@code offset} holds: up to {@code maxBytes},
   * and none at the end.
   *
   * @throws IllegalArgumentException if the offset is negative or past the end, or maxBytes is
   *     negative
   */
  static int length(SnapshotInfo snapshot, long offset, int maxBytes) {
    long size = snapshot.sizeBytes();
    if (offset < 0 || offset > size) {
      throw new IllegalArgumentException("offset " + offset + " is outside snapshot "
          + snapshot.index() + "@" + snapshot.term() + " of " + size + " bytes");
    }
    if (maxBytes < 0) {
      throw new IllegalArgumentException("negative maxBytes " + maxBytes);
    }
    return (int) Math.min(maxBytes, size - offset);
  }
}
