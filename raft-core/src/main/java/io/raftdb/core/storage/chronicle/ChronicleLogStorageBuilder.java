package io.raftdb.core.storage.chronicle;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Options of a {@link ChronicleLogStorage}, and the way to open one:
 * {@code ChronicleLogStorage.builder(dir).blockSize(1 << 20).open()}. The defaults suit
 * production; tests should use a small {@link #blockSize} (1 MiB) and small segments.
 * Not thread-safe; a builder may open the same log again after it was closed.
 */
public final class ChronicleLogStorageBuilder {
  private final Path directory;
  private long blockSize = 64L << 20;
  private long segmentMaxEntries = 1L << 22;
  private long segmentMaxBytes = 256L << 20;
  private boolean verifyAllRecordsOnOpen = true;
  private long reserveBytes = 64L << 20;
  private boolean fallocate = true;

  ChronicleLogStorageBuilder(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  /**
   * Chronicle's mapping chunk size (default 64 MiB). A record may take up to a quarter of it, so
   * it must be at least 4 times the largest entry. Fixed when the log is created.
   */
  public ChronicleLogStorageBuilder blockSize(long bytes) {
    if (bytes < (64 << 10) || bytes > (1L << 30)) {
      throw new IllegalArgumentException("block size " + bytes + " outside 64 KiB..1 GiB");
    }
    this.blockSize = bytes;
    return this;
  }

  /** Entries after which a new segment starts (default 4 Mi). */
  public ChronicleLogStorageBuilder segmentMaxEntries(long entries) {
    if (entries < 1 || entries > (1L << 31)) {
      throw new IllegalArgumentException("segment size " + entries + " outside 1..2^31");
    }
    this.segmentMaxEntries = entries;
    return this;
  }

  /**
   * Record bytes after which a new segment starts (default 256 MiB). Compaction frees disk space
   * one whole segment at a time.
   */
  public ChronicleLogStorageBuilder segmentMaxBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("segment size " + bytes + " must be positive");
    }
    this.segmentMaxBytes = bytes;
    return this;
  }

  /**
   * Whether open() checks the CRC of every record (the default), so that a corrupt record
   * anywhere stops the start, or only each segment's last record, so that open takes
   * O(segments) reads (a corrupt record is then reported when it is read).
   */
  public ChronicleLogStorageBuilder verifyAllRecordsOnOpen(boolean verifyAll) {
    this.verifyAllRecordsOnOpen = verifyAll;
    return this;
  }

  /**
   * Free disk space to keep (default 64 MiB): writes that would leave less are refused with a
   * {@link io.raftdb.storage.StorageException} before anything is written, and the log stays
   * usable. 0 disables the check; a full disk then still fails the write cleanly while entries
   * are appended, but a new segment's first pages are unprotected.
   */
  public ChronicleLogStorageBuilder reserveBytes(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative reserve " + bytes);
    }
    this.reserveBytes = bytes;
    return this;
  }

  /**
   * Opens the log, creating it if needed, and recovers it after a crash.
   *
   * @throws io.raftdb.storage.StorageException if the JVM lacks Chronicle's flags (the message
   *     lists them), the directory is locked by another store, or the log is corrupt (the message
   *     names the file and index)
   */
  public ChronicleLogStorage open() {
    return ChronicleLogStorage.open(this);
  }

  Path directory() {
    return directory;
  }

  long blockSize() {
    return blockSize;
  }

  long segmentMaxEntries() {
    return segmentMaxEntries;
  }

  long segmentMaxBytes() {
    return segmentMaxBytes;
  }

  boolean verifiesAllRecordsOnOpen() {
    return verifyAllRecordsOnOpen;
  }

  long reserveBytes() {
    return reserveBytes;
  }

  /** Tests: claim blocks by rewriting pages, as where the file system has no fallocate. */
  ChronicleLogStorageBuilder withoutFallocate() {
    this.fallocate = false;
    return this;
  }

  boolean usesFallocate() {
    return fallocate;
  }
}
