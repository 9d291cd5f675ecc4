package io.raftdb.storage;

import io.raftdb.RaftException;

/**
 * Storage failed: an I/O error, a full disk, or corrupt data found on disk. A node whose storage
 * fails stops accepting writes; it never acknowledges what it did not persist.
 */
public class StorageException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public StorageException(String message) {
    super(message);
  }

  /** An exception with a message and the cause. */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
