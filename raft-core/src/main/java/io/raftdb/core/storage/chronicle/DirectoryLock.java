package io.raftdb.core.storage.chronicle;

import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS lock ({@code flock}) on {@code raft.lock} in the log directory, held while the
 * log is open: two stores, in one process or two, never write the same log. The OS drops it when
 * the process dies, unlike Chronicle's PID-based lock words.
 */
final class DirectoryLock implements AutoCloseable {
  static final String FILE_NAME = "raft.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static DirectoryLock acquire(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new StorageException("the log in " + dir + " is open in another process");
      }
      return new DirectoryLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new StorageException("the log in " + dir + " is already open in this process", e);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StorageException("cannot lock the log directory " + dir, e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already failing; the first error is the one to report
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new StorageException("cannot release the log directory lock", e);
    }
  }
}
