package io.raftdb.core.storage.snapshot;

import io.raftdb.storage.StorageException;

/**
 * Stored snapshot bytes are not a valid snapshot: torn, truncated, damaged, of an unknown format,
 * or not the snapshot they were announced as. A file store skips such a file when it opens; a
 * receiver discards such a transfer.
 */
final class CorruptSnapshotException extends StorageException {
  private static final long serialVersionUID = 1L;

  CorruptSnapshotException(String message) {
    super(message);
  }
}
