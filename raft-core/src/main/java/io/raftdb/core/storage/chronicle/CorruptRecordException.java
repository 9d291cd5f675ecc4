package io.raftdb.core.storage.chronicle;

import io.raftdb.storage.StorageException;
import java.nio.file.Path;

/** A log record failed its checks: its message names the segment file and the Raft index. */
final class CorruptRecordException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final long index;

  CorruptRecordException(Path file, long index, String problem) {
    super("corrupt log record at index " + index + " in " + file + ": " + problem);
    this.index = index;
  }

  long index() {
    return index;
  }
}
