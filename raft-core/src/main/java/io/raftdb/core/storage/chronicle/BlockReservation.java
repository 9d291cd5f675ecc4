package io.raftdb.core.storage.chronicle;

import java.io.IOException;
import java.nio.file.Path;
import net.openhft.posix.PosixAPI;

/**
 * Reserves a file's disk blocks with {@code fallocate(FALLOC_FL_KEEP_SIZE)}: neither the file's
 * size, its contents nor the page cache change, and a full disk is an error here rather than a
 * SIGBUS in a later memory-mapped write. Linux only; elsewhere, or where the file system has no
 * {@code fallocate}, {@link #open} and {@link #reserve} say so and the caller claims blocks its
 * own way.
 */
final class BlockReservation implements AutoCloseable {
  private static final int O_RDWR = 2;
  private static final int FALLOC_FL_KEEP_SIZE = 1;
  private static final int ENOSPC = 28;
  private static final int EDQUOT = 122;

  private final PosixAPI posix;
  private final Path file;
  private final int fd;
  private boolean supported = true;

  private BlockReservation(PosixAPI posix, Path file, int fd) {
    this.posix = posix;
    this.file = file;
    this.fd = fd;
  }

  /** A reservation for {@code file}, or null where this system cannot make one. */
  static BlockReservation open(Path file) {
    if (!System.getProperty("os.name", "").startsWith("Linux")) {
      return null;
    }
    try {
      PosixAPI posix = PosixAPI.posix();
      int fd = posix.open(file.toString(), O_RDWR, 0);
      return fd < 0 ? null : new BlockReservation(posix, file, fd);
    } catch (RuntimeException | LinkageError e) {
      return null; // no native access: the caller's fallback
    }
  }

  /**
   * Reserves blocks for {@code length} bytes from {@code offset}.
   *
   * @return false if the file system cannot (the caller's fallback then); true once reserved
   * @throws IOException if the disk is full
   */
  boolean reserve(long offset, long length) throws IOException {
    if (!supported) {
      return false;
    }
    if (posix.fallocate(fd, FALLOC_FL_KEEP_SIZE, offset, length) == 0) {
      return true;
    }
    int error = posix.lastError();
    if (error == ENOSPC || error == EDQUOT) {
      throw new IOException(file + ": " + posix.strerror(error));
    }
    supported = false; // EOPNOTSUPP and the like: not on this file system
    return false;
  }

  @Override
  public void close() {
    posix.close(fd);
  }
}
