package io.raftdb.core.storage.chronicle;

import io.raftdb.core.storage.LogArguments;
import io.raftdb.message.LogEntry;
import io.raftdb.message.LogEntryCodec;
import io.raftdb.storage.LogStorage;
import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent Raft log on Chronicle Queue: one queue per log, one Chronicle cycle per segment
 * under a clock the store controls, a header at the start of every segment, and every entry a
 * {@link LogEntryCodec} record with its CRC32C. Truncation starts a new segment that shadows the
 * conflicting suffix; compaction deletes whole old segment files; recovery reads each segment's
 * header and last record. See {@code docs/storage.md} for the layout and the recovery steps.
 *
 * <p>Durability: {@link #sync()} forces the segment being written (fdatasync); every new segment
 * forces its predecessor, itself and the directory. Writes are visible at once and survive a
 * process crash (they are in the page cache); only synced ones survive a power loss.
 *
 * <p>Failures: a write that would leave less free disk than the reserve is refused with a
 * {@link StorageException} before anything is written, and the log stays usable. An I/O error,
 * a full disk met anyway, or any Chronicle error during a write throws a
 * {@link StorageException}, and the store then refuses every further write and sync until it is
 * reopened: what was not synced is never acknowledged. Reads keep working.
 *
 * <p>The JVM needs {@link ChronicleEnvironment#REQUIRED_JVM_FLAGS};
 * {@link ChronicleLogStorageBuilder#open()} checks them first. Loading this class disables
 * Chronicle's analytics, its banner and its own assertions ({@link ChronicleEnvironment}).
 *
 * <p>Threading: every method but {@link #sync()} is synchronized, so the node's loop may write
 * while another thread reads. A sync holds the lock only to find the file to force, so it may run
 * on its own thread while the loop appends ({@link #syncsConcurrently()}).
 */
public final class ChronicleLogStorage implements LogStorage {
  private static final Logger LOG = LoggerFactory.getLogger(ChronicleLogStorage.class);
  /** Disk a new segment may take before its first entry: Chronicle's header and index pages. */
  private static final long SEGMENT_START_BYTES = 128 * 1024;

  static {
    ChronicleEnvironment.prepare(); // before any Chronicle class initialises
  }

  private final Path dir;
  private final ChronicleLogStorageBuilder options;
  private final DirectoryLock lock;
  private final SegmentQueue queue;
  private final SegmentTable segments;
  private final TermRuns terms;
  private final DiskSpaceGuard space;
  private final int maxRecordBytes;
  private long firstIndex;
  private long lastIndex;
  /** Never append to a cycle written by an earlier process: Chronicle may have sealed it. */
  private boolean newSegmentBeforeNextWrite = true;
  private StorageException failure;
  private boolean closed;

  private ChronicleLogStorage(ChronicleLogStorageBuilder options, DirectoryLock lock,
      SegmentQueue queue, LogRecovery.Recovered recovered) {
    this.dir = options.directory();
    this.options = options;
    this.lock = lock;
    this.queue = queue;
    this.segments = recovered.segments();
    this.terms = recovered.terms();
    this.firstIndex = recovered.firstIndex();
    this.lastIndex = recovered.lastIndex();
    this.space = new DiskSpaceGuard(dir, options.reserveBytes());
    this.maxRecordBytes = queue.maxRecordBytes();
  }

  /** A builder for the log kept in {@code directory} (created if missing). */
  public static ChronicleLogStorageBuilder builder(Path directory) {
    return new ChronicleLogStorageBuilder(directory);
  }

  @Override
  public synchronized long firstIndex() {
    checkOpen();
    return firstIndex;
  }

  @Override
  public synchronized long lastIndex() {
    checkOpen();
    return lastIndex;
  }

  @Override
  public synchronized long term(long index) {
    checkOpen();
    LogArguments.checkTermIndex(index, firstIndex, lastIndex);
    return terms.term(index);
  }

  /**
   * {@inheritDoc}
   *
   * @throws StorageException naming the file and index if a record is corrupt
   */
  @Override
  public synchronized List<LogEntry> entries(long from, long toExclusive, long maxBytes) {
    checkOpen();
    LogArguments.checkRange(from, toExclusive, firstIndex, lastIndex);
    List<LogEntry> result = new ArrayList<>((int) Math.min(toExclusive - from, 1024));
    long bytes = 0;
    Segment segment = null;
    try {
      for (long i = from; i < toExclusive; i++) {
        if (segment == null || i > segment.validLast()) {
          segment = segments.holding(i);
        }
        LogEntry entry = queue.readEntry(segment, i);
        bytes += entry.sizeEstimate();
        if (bytes > maxBytes && !result.isEmpty()) {
          break;
        }
        result.add(entry);
      }
    } catch (StorageException e) {
      throw e;
    } catch (RuntimeException | InternalError e) {
      throw new StorageException("reading entries " + from + ".." + (toExclusive - 1)
          + " from the log in " + dir + " failed", e);
    }
    return result;
  }

  @Override
  public long maxEntryBytes() {
    return maxRecordBytes;
  }

  @Override
  public synchronized void append(List<LogEntry> entries) {
    checkWritable();
    if (entries.isEmpty()) {
      return;
    }
    LogArguments.checkAppend(entries, lastIndex, terms.term(lastIndex));
    long bytes = 0;
    for (LogEntry entry : entries) {
      int size = LogEntryCodec.encodedSize(entry);
      if (size > maxRecordBytes) {
        throw new IllegalArgumentException(entry + " takes " + size + " bytes, more than the "
            + maxRecordBytes + " a record may take with a block size of " + options.blockSize()
            + " (raise blockSize to at least 4x the largest entry)");
      }
      bytes += size;
    }
    space.reserve(bytes + SEGMENT_START_BYTES);
    try {
      for (LogEntry entry : entries) {
        if (segmentFull()) {
          startSegment(lastIndex + 1, terms.term(lastIndex), nextReason());
        }
        Segment current = segments.newest();
        int size = queue.write(entry, current.sequenceOf(entry.index()));
        current.recordAppend(entry.index(), size);
        terms.append(entry.index(), entry.term());
        lastIndex = entry.index();
      }
    } catch (IOException | RuntimeException | InternalError e) {
      throw fail("appending entries from " + entries.get(0).index(), e);
    }
  }

  @Override
  public synchronized void truncateSuffix(long fromIndex) {
    checkWritable();
    LogArguments.checkTruncate(fromIndex, firstIndex, lastIndex);
    if (fromIndex == lastIndex + 1) {
      return;
    }
    space.reserve(SEGMENT_START_BYTES);
    try {
      startSegment(fromIndex, terms.term(fromIndex - 1), SegmentHeader.Reason.TRUNCATE);
    } catch (IOException | RuntimeException | InternalError e) {
      throw fail("truncating from " + fromIndex, e);
    }
    terms.truncateFrom(fromIndex);
    lastIndex = fromIndex - 1;
  }

  @Override
  public synchronized void compactPrefix(long upToIndex) {
    checkWritable();
    LogArguments.checkCompact(upToIndex, lastIndex);
    if (upToIndex < firstIndex || segments.isEmpty()) {
      return;
    }
    Segment keep = upToIndex == lastIndex ? segments.newest() : segments.holding(upToIndex + 1);
    deleteOlderThan(keep, "compacting through " + upToIndex);
  }

  @Override
  public synchronized void reset(long snapshotIndex, long snapshotTerm) {
    checkWritable();
    LogArguments.checkReset(snapshotIndex, snapshotTerm);
    space.reserve(SEGMENT_START_BYTES);
    try {
      startSegment(snapshotIndex + 1, snapshotTerm, SegmentHeader.Reason.RESET);
    } catch (IOException | RuntimeException | InternalError e) {
      throw fail("resetting to snapshot " + snapshotIndex + "@" + snapshotTerm, e);
    }
    terms.restart(snapshotIndex, snapshotTerm);
    firstIndex = snapshotIndex + 1;
    lastIndex = snapshotIndex;
    // The RESET header already shadows every older segment, also after a crash; now free them.
    deleteOlderThan(segments.newest(), "resetting to snapshot " + snapshotIndex);
  }

  /**
   * Forces the segment being written, holding the store's lock only to find it: the loop goes on
   * appending (and reading) during the fdatasync, which covers at least everything appended
   * before this call.
   */
  @Override
  public void sync() {
    SegmentFileWriter target;
    synchronized (this) {
      checkWritable();
      target = queue.writer();
    }
    if (target == null) {
      return;
    }
    try {
      target.force();
    } catch (ClosedChannelException e) {
      synchronized (this) {
        if (closed || queue.writer() == target) {
          throw fail("syncing", e);
        }
        // An append started a new segment meanwhile, and forced this one before closing it.
      }
    } catch (IOException | RuntimeException | InternalError e) {
      synchronized (this) {
        throw fail("syncing", e);
      }
    }
  }

  /** True: {@link #sync()} may run on another thread while the loop appends or compacts. */
  @Override
  public boolean syncsConcurrently() {
    return true;
  }

  /** Closes the files and releases the directory lock. Does not sync. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      queue.close();
    } catch (RuntimeException | InternalError e) {
      // After a failed device Chronicle may fail to unmap; the lock must still be released.
      LOG.warn("closing the log in {} failed", dir, e);
    } finally {
      lock.close();
    }
  }

  /** Number of segment files, shadowed ones included (for tests and metrics). */
  synchronized int segmentCount() {
    return segments.size();
  }

  private boolean segmentFull() {
    if (newSegmentBeforeNextWrite || segments.isEmpty()) {
      return true;
    }
    Segment current = segments.newest();
    return current.entriesWritten() >= options.segmentMaxEntries()
        || current.entryBytes() >= options.segmentMaxBytes();
  }

  private SegmentHeader.Reason nextReason() {
    if (segments.isEmpty()) {
      return SegmentHeader.Reason.CREATE;
    }
    return newSegmentBeforeNextWrite ? SegmentHeader.Reason.OPEN : SegmentHeader.Reason.ROLL;
  }

  private void startSegment(long first, long prevTerm, SegmentHeader.Reason reason)
      throws IOException {
    SegmentHeader header = new SegmentHeader(first, prevTerm, reason);
    Segment previous = segments.isEmpty() ? null : segments.newest();
    int cycle = queue.freshCycle();
    Path file = queue.startSegment(cycle, header, previous == null ? null : previous.file());
    segments.add(new Segment(cycle, file, header, first - 1));
    newSegmentBeforeNextWrite = false;
    if (reason == SegmentHeader.Reason.TRUNCATE || reason == SegmentHeader.Reason.RESET) {
      LOG.debug("{} at index {} in {}", reason, first, file);
    }
  }

  private void deleteOlderThan(Segment keep, String why) {
    List<Segment> removed = segments.removeOlderThan(keep);
    if (removed.isEmpty()) {
      return;
    }
    firstIndex = segments.oldestLive().firstIndex();
    terms.dropBefore(firstIndex - 1);
    List<Path> files = new ArrayList<>(removed.size());
    for (Segment segment : removed) {
      files.add(segment.file());
    }
    try {
      queue.delete(files);
    } catch (IOException | RuntimeException e) {
      // The log itself is consistent (a leftover old file is ignored or deleted next time).
      LOG.warn("{}: could not delete every old segment of {}", why, dir, e);
    }
  }

  private StorageException fail(String what, Throwable cause) {
    StorageException error = cause instanceof StorageException storage ? storage
        : new StorageException(what + " failed in the log in " + dir
            + "; the log refuses further writes until it is reopened", cause);
    failure = error;
    LOG.error("log storage in {} failed while {}; refusing further writes", dir, what, cause);
    return error;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the log in " + dir + " is closed");
    }
  }

  private void checkWritable() {
    checkOpen();
    if (failure != null) {
      throw new StorageException("the log in " + dir + " failed earlier and refuses writes: "
          + failure.getMessage(), failure);
    }
  }

  /** Opens the log described by {@code options}; see {@link ChronicleLogStorageBuilder#open}. */
  static ChronicleLogStorage open(ChronicleLogStorageBuilder options) {
    ChronicleEnvironment.checkJvmFlags();
    long started = System.nanoTime();
    try {
      Files.createDirectories(options.directory());
    } catch (IOException e) {
      throw new StorageException("cannot create the log directory " + options.directory(), e);
    }
    DirectoryLock lock = DirectoryLock.acquire(options.directory());
    SegmentQueue queue = null;
    try {
      queue = SegmentQueue.open(options.directory(), options.blockSize(),
          options.usesFallocate());
      LogRecovery.Recovered recovered =
          LogRecovery.recover(queue, options.directory(), options.verifiesAllRecordsOnOpen());
      if (!recovered.segments().isEmpty()) {
        // What an earlier process wrote may still be only in the page cache: make it durable
        // before this node reports it to anyone.
        SegmentFiles.force(recovered.segments().newest().file());
      }
      ChronicleLogStorage store = new ChronicleLogStorage(options, lock, queue, recovered);
      LOG.info("opened the log in {}: entries {}..{}, {} segment(s), {} term run(s), {} ms",
          options.directory(), recovered.firstIndex(), recovered.lastIndex(),
          recovered.segments().size(), recovered.terms().runCount(),
          (System.nanoTime() - started) / 1_000_000);
      return store;
    } catch (IOException | RuntimeException | InternalError | AssertionError e) {
      if (queue != null) {
        queue.close();
      }
      lock.close();
      if (e instanceof StorageException storage) {
        throw storage;
      }
      throw new StorageException("cannot open the log in " + options.directory(), e);
    }
  }
}
