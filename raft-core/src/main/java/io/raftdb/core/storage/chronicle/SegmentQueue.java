package io.raftdb.core.storage.chronicle;

import static io.raftdb.core.storage.chronicle.SegmentFiles.ROLL_CYCLE;

import io.raftdb.message.CodecException;
import io.raftdb.message.LogEntry;
import io.raftdb.message.LogEntryCodec;
import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.table.AbstractTSQueueLock;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Chronicle Queue under the log, seen as numbered segments (cycles) of numbered records
 * (sequences). It knows nothing of Raft indices beyond checking them; {@link ChronicleLogStorage}
 * maps them. Every Chronicle call of the store is here or in {@link SegmentFiles}. Not
 * thread-safe: used under the store's lock, so the appender's and tailer's thread checks are off.
 */
final class SegmentQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentQueue.class);

  /** The cycle of the first segment of a new log. */
  static final int FIRST_CYCLE = 1;
  private static final long NOWHERE = -1;
  private static final String[] CHRONICLE_LOCKS = {"chronicle.write.lock", "chronicle.append.lock"};

  private final Path dir;
  private final SingleChronicleQueue queue;
  private final LogicalClock clock;
  /** The highest cycle any file of this open queue had, deleted or not. */
  private int highestCycleSeen = FIRST_CYCLE - 1;
  private ExcerptAppender appender;
  private ExcerptTailer tailer;
  /** The Chronicle index the tailer reads next, if known; else {@link #NOWHERE}. */
  private long tailerNext = NOWHERE;
  /** The segment being written; null until this process starts one. */
  private SegmentFileWriter writing;
  private byte[] writeArray = new byte[512];
  private byte[] readArray = new byte[512];
  /** The mappings last advised (Chronicle maps a segment in chunks). */
  private BytesStore<?, ?> writeMapping;
  private BytesStore<?, ?> readMapping;

  private final boolean fallocate;

  private SegmentQueue(Path dir, SingleChronicleQueue queue, LogicalClock clock,
      boolean fallocate) {
    this.dir = dir;
    this.queue = queue;
    this.clock = clock;
    this.fallocate = fallocate;
  }

  /**
   * Opens (creating if needed) the queue in {@code dir}. The caller holds the directory lock, so
   * Chronicle's own PID-based locks, which a crashed process leaves set, are reset here.
   */
  static SegmentQueue open(Path dir, long blockSize, boolean fallocate) {
    SegmentFiles.removeHalfCreatedNewest(dir);
    LogicalClock clock = new LogicalClock(ROLL_CYCLE.lengthInMillis(), FIRST_CYCLE);
    SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir)
        .rollCycle(ROLL_CYCLE)
        .blockSize(blockSize)
        .timeProvider(clock)
        .build();
    try {
      for (String lock : CHRONICLE_LOCKS) {
        // A lock word left by a dead process whose PID we now have (containers reuse PIDs)
        // would stall the first append for 15 s and then fail; our own file lock excludes every
        // other writer, so clearing it is safe.
        queue.metaStore().acquireValueFor(lock).setVolatileValue(AbstractTSQueueLock.UNLOCKED);
      }
      queue.refreshDirectoryListing();
      return new SegmentQueue(dir, queue, clock, fallocate);
    } catch (RuntimeException | Error e) {
      queue.close();
      throw e;
    }
  }

  /** The cycles present, oldest first. */
  NavigableSet<Integer> cycles() {
    queue.refreshDirectoryListing();
    NavigableSet<Integer> cycles = new TreeSet<>();
    int first = queue.firstCycle();
    int last = queue.lastCycle();
    if (first <= last) {
      for (Long cycle : queue.listCyclesBetween(first, last)) {
        cycles.add(cycle.intValue());
      }
      highestCycleSeen = Math.max(highestCycleSeen, cycles.last());
    }
    return cycles;
  }

  /**
   * A cycle no file of this open queue ever had. A new segment must never reuse the cycle of a
   * file deleted while the queue was open (say, a header-less segment removed at recovery):
   * Chronicle keeps the deleted file's store cached and would write the segment into it, out of
   * sight of the directory (found by the kill -9 test).
   */
  int freshCycle() {
    return highestCycleSeen + 1;
  }

  Path fileOf(int cycle) {
    return SegmentFiles.fileOf(dir, cycle);
  }

  /** Records in {@code cycle}, its segment header included. */
  long recordsIn(int cycle) {
    tailerNext = NOWHERE; // counting may move the tailer
    return Math.max(0, tailer().excerptsInCycle(cycle));
  }

  /**
   * The bytes of record {@code sequence} of {@code cycle}, valid until the next read; null if
   * there is no such record.
   */
  ByteBuffer read(int cycle, long sequence) {
    long target = ROLL_CYCLE.toIndex(cycle, sequence);
    ExcerptTailer reader = tailer();
    // Sequential reads (range reads, the recovery scan) skip the index lookup.
    if (target != tailerNext && !reader.moveToIndex(target)) {
      tailerNext = NOWHERE;
      return null;
    }
    try (DocumentContext dc = reader.readingDocument()) {
      if (!dc.isPresent() || dc.index() != target) {
        tailerNext = NOWHERE;
        return null;
      }
      tailerNext = target + 1;
      Bytes<?> bytes = dc.wire().bytes();
      if (bytes.bytesStore() != readMapping) {
        readMapping = bytes.bytesStore();
        SmallPages.advise(readMapping);
      }
      int length = (int) bytes.readRemaining();
      if (readArray.length < length) {
        readArray = new byte[Math.max(length, readArray.length * 2)];
      }
      bytes.read(readArray, 0, length);
      return ByteBuffer.wrap(readArray, 0, length);
    }
  }

  /**
   * Reads entry {@code index} from {@code segment} and checks it: present, intact (the codec's
   * CRC32C), exactly one record, and holding that index.
   *
   * @throws CorruptRecordException naming the file and index otherwise
   */
  LogEntry readEntry(Segment segment, long index) {
    ByteBuffer record = read(segment.cycle(), segment.sequenceOf(index));
    if (record == null) {
      throw new CorruptRecordException(segment.file(), index, "the record is missing");
    }
    LogEntry entry;
    try {
      entry = LogEntryCodec.decode(record);
    } catch (CodecException e) {
      throw new CorruptRecordException(segment.file(), index, e.getMessage());
    }
    if (record.hasRemaining()) {
      throw new CorruptRecordException(segment.file(), index,
          record.remaining() + " bytes after the entry record");
    }
    if (entry.index() != index) {
      throw new CorruptRecordException(segment.file(), index,
          "the record holds index " + entry.index());
    }
    return entry;
  }

  /** The largest entry record a segment accepts (a quarter of the block size, less slack). */
  int maxRecordBytes() {
    return (int) Math.min(Integer.MAX_VALUE, queue.overlapSize() - 1024);
  }

  /**
   * Starts segment {@code cycle} with its header: forces the previous segment's file first (so
   * that the new segment never becomes durable before what it continues), then forces the new
   * file and the directory entry that names it.
   *
   * @param previousFile the newest segment's file, or null if there is none
   * @return the new segment's file
   */
  Path startSegment(int cycle, SegmentHeader header, Path previousFile) throws IOException {
    if (writing != null) {
      writing.force();
      writing.close();
      writing = null;
    } else if (previousFile != null) {
      SegmentFiles.force(previousFile); // written by an earlier process: make it durable first
    }
    if (cycle <= highestCycleSeen) {
      throw new IllegalArgumentException("cycle " + cycle + " was already used; next is "
          + freshCycle());
    }
    highestCycleSeen = cycle;
    clock.moveTo(cycle);
    ByteBuffer headerBytes = ByteBuffer.allocate(SegmentHeader.SIZE);
    header.writeTo(headerBytes);
    long headerEnd = writeRecord(headerBytes.array(), SegmentHeader.SIZE, 0);
    Path file = appender().currentFile().toPath();
    if (!file.getFileName().equals(fileOf(cycle).getFileName())) {
      throw new StorageException("Chronicle wrote cycle " + cycle + " to " + file
          + ", expected " + fileOf(cycle));
    }
    writing = new SegmentFileWriter(file, headerEnd, fallocate);
    writing.force();
    SegmentFiles.forceDirectory(dir);
    return file;
  }

  /**
   * Encodes and writes one entry as the next record of the current segment, after claiming its
   * disk blocks (see {@link SegmentFileWriter}).
   *
   * @return the record's size in bytes
   */
  int write(LogEntry entry, long expectedSequence) throws IOException {
    int size = LogEntryCodec.encodedSize(entry);
    writing.claim(size + 16L); // 16: Chronicle's record header and padding
    if (writeArray.length < size) {
      writeArray = new byte[Math.max(size, writeArray.length * 2)];
    }
    LogEntryCodec.encodeTo(entry, ByteBuffer.wrap(writeArray, 0, size));
    writing.recordWritten(writeRecord(writeArray, size, expectedSequence));
    return size;
  }

  /** Writes one record and returns the file offset just after it. */
  private long writeRecord(byte[] bytes, int length, long expectedSequence) {
    ExcerptAppender writer = appender();
    DocumentContext dc = writer.writingDocument();
    long end;
    try {
      Bytes<?> out = dc.wire().bytes();
      if (out.bytesStore() != writeMapping) {
        writeMapping = out.bytesStore();
        SmallPages.advise(writeMapping);
      }
      out.write(bytes, 0, length);
      end = out.writePosition();
    } catch (RuntimeException | Error e) {
      dc.rollbackOnClose(); // never publish a half-written record
      throw e;
    } finally {
      dc.close();
    }
    long written = writer.lastIndexAppended();
    if (ROLL_CYCLE.toCycle(written) != clock.currentTimeMillis() / ROLL_CYCLE.lengthInMillis()
        || ROLL_CYCLE.toSequenceNumber(written) != expectedSequence) {
      throw new StorageException("Chronicle stored a record at cycle "
          + ROLL_CYCLE.toCycle(written) + " sequence " + ROLL_CYCLE.toSequenceNumber(written)
          + ", expected sequence " + expectedSequence);
    }
    return end;
  }

  /** The file of the segment being written (to force it), or null before the first write. */
  SegmentFileWriter writer() {
    return writing;
  }

  /**
   * Deletes {@code files} (cycles nobody writes any more). Closes the reader and the appender
   * first (the next use recreates them): each can keep an old cycle mapped, and with it the
   * deleted file's disk space (measured: the appender kept the first cycle it wrote).
   */
  void delete(Collection<Path> files) throws IOException {
    closeTailer();
    closeAppender();
    List<IOException> failures = new ArrayList<>();
    for (Path file : files) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        failures.add(e);
      }
    }
    queue.refreshDirectoryListing(); // Chronicle caches the listing; a logical clock stalls it
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }

  private ExcerptAppender appender() {
    if (appender == null) {
      appender = queue.createAppender();
      appender.singleThreadedCheckDisabled(true);
    }
    return appender;
  }

  private ExcerptTailer tailer() {
    if (tailer == null) {
      tailer = queue.createTailer();
      tailer.singleThreadedCheckDisabled(true);
    }
    return tailer;
  }

  private void closeTailer() {
    if (tailer != null) {
      tailer.close();
      tailer = null;
    }
    tailerNext = NOWHERE;
  }

  private void closeAppender() {
    if (appender != null) {
      appender.close();
      appender = null;
    }
  }

  /** Closes the appender, the reader, the file handle and the queue. Does not force. */
  @Override
  public void close() {
    closeTailer();
    closeAppender();
    if (writing != null) {
      try {
        writing.close();
      } catch (IOException e) {
        LOG.warn("closing {} failed", writing.file(), e);
      }
      writing = null;
    }
    queue.close();
  }
}
