package io.raftdb.core.storage.chronicle;

import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses a write, before any byte of it is written, when the file system would be left with
 * less than a reserve. Chronicle writes through a memory map into sparse files, so a full disk
 * otherwise shows up as a SIGBUS in the middle of a record (the JVM turns it into an
 * {@link InternalError}); refusing early keeps the log clean. Checks the file system (one
 * {@code statvfs}) only every {@link #RECHECK_BYTES} written or when the last answer says space
 * is getting short. Not thread-safe.
 */
final class DiskSpaceGuard {
  static final long RECHECK_BYTES = 4L << 20;

  private final Path dir;
  private final FileStore store;
  private final long reserveBytes;
  private long freeAtLastCheck;
  private long writtenSinceCheck;

  DiskSpaceGuard(Path dir, long reserveBytes) {
    this.dir = dir;
    this.reserveBytes = reserveBytes;
    try {
      this.store = Files.getFileStore(dir);
    } catch (IOException e) {
      throw new StorageException("cannot find the file system of " + dir, e);
    }
    recheck();
  }

  /**
   * Accounts for {@code bytes} about to be written.
   *
   * @throws StorageException if fewer than the reserve would remain; nothing was written then
   */
  void reserve(long bytes) {
    if (reserveBytes <= 0) {
      return;
    }
    long freeAfter = freeAtLastCheck - writtenSinceCheck - bytes;
    if (writtenSinceCheck + bytes >= RECHECK_BYTES || freeAfter < 2 * reserveBytes) {
      recheck();
      freeAfter = freeAtLastCheck - bytes;
    }
    if (freeAfter < reserveBytes) {
      throw new StorageException("disk full: " + freeAtLastCheck + " bytes free for the log in "
          + dir + ", refusing to write " + bytes + " more and leave less than the reserve of "
          + reserveBytes);
    }
    writtenSinceCheck += bytes;
  }

  private void recheck() {
    try {
      freeAtLastCheck = store.getUsableSpace();
      writtenSinceCheck = 0;
    } catch (IOException e) {
      throw new StorageException("cannot read the free space of " + dir, e);
    }
  }
}
