package io.raftdb.core.storage.chronicle;

import java.nio.file.Path;

/**
 * One segment of the log: one Chronicle cycle file, its {@link SegmentHeader}, and what the
 * store knows of its contents. Entries {@code firstIndex()..validLast()} belong to the log;
 * anything the file holds after {@code validLast()} was shadowed by a newer segment.
 * Mutable, confined to the store's lock.
 */
final class Segment {
  private final int cycle;
  private final Path file;
  private final SegmentHeader header;
  /** The last index stored in the file ({@code firstIndex - 1} when it holds none). */
  private long lastWritten;
  /** The last index of this segment that belongs to the log. */
  private long validLast;
  /** Bytes of entry records stored (for the size limit of the segment being written). */
  private long entryBytes;

  Segment(int cycle, Path file, SegmentHeader header, long lastWritten) {
    this.cycle = cycle;
    this.file = file;
    this.header = header;
    this.lastWritten = lastWritten;
    this.validLast = lastWritten;
  }

  int cycle() {
    return cycle;
  }

  Path file() {
    return file;
  }

  SegmentHeader header() {
    return header;
  }

  long firstIndex() {
    return header.firstIndex();
  }

  long lastWritten() {
    return lastWritten;
  }

  long validLast() {
    return validLast;
  }

  /** Entries the segment holds, shadowed ones included. */
  long entriesWritten() {
    return lastWritten - header.firstIndex() + 1;
  }

  long entryBytes() {
    return entryBytes;
  }

  /** Chronicle's sequence number of entry {@code index} within this cycle (header is 0). */
  long sequenceOf(long index) {
    return index - header.firstIndex() + 1;
  }

  void recordAppend(long index, int recordBytes) {
    lastWritten = index;
    validLast = index;
    entryBytes += recordBytes;
  }

  /** Forgets records after {@code last}, found torn at recovery; a new segment shadows them. */
  void dropTail(long last) {
    lastWritten = last;
    validLast = last;
  }

  void clipValidLast(long last) {
    validLast = Math.min(lastWritten, last);
  }

  @Override
  public String toString() {
    return "segment " + file.getFileName() + " [" + header.firstIndex() + ".." + validLast
        + (lastWritten > validLast ? " (+" + (lastWritten - validLast) + " shadowed)" : "")
        + ", prevTerm " + header.prevTerm() + ", " + header.reason() + "]";
  }
}
