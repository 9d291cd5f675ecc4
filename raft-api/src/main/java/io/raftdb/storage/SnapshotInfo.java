package io.raftdb.storage;

import io.raftdb.Membership;
import java.util.Objects;

/**
 * What a stored snapshot covers.
 *
 * @param index the last log index the snapshot includes
 * @param term the term of that entry
 * @param membership the group's membership at that index
 * @param sizeBytes the size of the whole stored snapshot (header, state, checksum) in bytes
 */
public record SnapshotInfo(long index, long term, Membership membership, long sizeBytes) {
  /** Validates the fields. */
  public SnapshotInfo {
    if (index < 1 || term < 1 || sizeBytes < 0) {
      throw new IllegalArgumentException("bad snapshot " + index + "@" + term + " " + sizeBytes + "B");
    }
    Objects.requireNonNull(membership, "membership");
  }
}
