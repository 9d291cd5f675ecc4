package io.raftdb.core.storage.chronicle;

import io.raftdb.message.LogEntry;
import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the log's in-memory view from the segment files at open: reads each segment's header
 * and record count (O(segments)), works out which segments are live, then verifies records —
 * every one when {@code verifyAll}, else only each segment's last — and rebuilds the term runs.
 *
 * <p>Records past the last sync may be torn by a crash. A bad record is therefore dropped when
 * it and everything after it in the newest segment are bad (a torn tail, never acknowledged);
 * any other bad record is corruption and stops the open with an error naming file and index.
 */
final class LogRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);

  /** What recovery found: the segments, the terms, and the log's bounds. */
  record Recovered(SegmentTable segments, TermRuns terms, long firstIndex, long lastIndex) {}

  private final SegmentQueue queue;
  private final Path dir;

  private LogRecovery(SegmentQueue queue, Path dir) {
    this.queue = queue;
    this.dir = dir;
  }

  static Recovered recover(SegmentQueue queue, Path dir, boolean verifyAll) throws IOException {
    return new LogRecovery(queue, dir).run(verifyAll);
  }

  private Recovered run(boolean verifyAll) throws IOException {
    List<Segment> segments = readSegments();
    if (segments.isEmpty()) {
      return new Recovered(SegmentTable.recover(segments), new TermRuns(0, 0), 1, 0);
    }
    SegmentTable table = SegmentTable.recover(segments);
    Segment oldest = table.oldestLive();
    TermRuns terms = new TermRuns(oldest.firstIndex() - 1, oldest.header().prevTerm());
    if (verifyAll) {
      scanEveryRecord(table, terms);
    } else {
      checkLastRecords(table);
      rebuildTermsByBisection(table, terms);
    }
    return new Recovered(table, terms, oldest.firstIndex(), table.newest().validLast());
  }

  private List<Segment> readSegments() throws IOException {
    NavigableSet<Integer> cycles = queue.cycles();
    List<Segment> segments = new ArrayList<>();
    for (int cycle : cycles) {
      Path file = queue.fileOf(cycle);
      long records = queue.recordsIn(cycle);
      if (records == 0) {
        if (cycle == cycles.last()) {
          // Killed between creating the file and writing its header: it never held an entry.
          LOG.warn("deleting {}: a new segment without its header (interrupted roll)", file);
          queue.delete(List.of(file));
          continue;
        }
        throw new StorageException("segment file " + file + " has no segment header, but newer "
            + "segments follow it: the log in " + dir + " is corrupt");
      }
      ByteBuffer headerRecord = queue.read(cycle, 0);
      SegmentHeader header;
      try {
        if (headerRecord == null) {
          throw new IllegalArgumentException("unreadable");
        }
        header = SegmentHeader.readFrom(headerRecord);
      } catch (IllegalArgumentException e) {
        if (cycle == cycles.last() && records == 1) {
          // Killed (or out of disk) while writing the header of a new segment: no entry follows.
          LOG.warn("deleting {}: its segment header is torn ({}) and it holds no entries", file,
              e.getMessage());
          queue.delete(List.of(file));
          continue;
        }
        throw new StorageException("segment file " + file + " has a bad segment header ("
            + e.getMessage() + "): the log in " + dir + " is corrupt");
      }
      segments.add(new Segment(cycle, file, header, header.firstIndex() + records - 2));
    }
    return segments;
  }

  private void scanEveryRecord(SegmentTable table, TermRuns terms) {
    for (Segment segment : table.liveSegments()) {
      checkHeaderTerm(segment, terms);
      for (long i = segment.firstIndex(); i <= segment.validLast(); i++) {
        LogEntry entry;
        try {
          entry = queue.readEntry(segment, i);
        } catch (CorruptRecordException e) {
          if (segment == table.newest() && nothingReadableAfter(segment, i)) {
            dropTornTail(segment, i);
            return;
          }
          throw stopOpen(e);
        }
        checkTermOrder(segment, i, terms.term(i - 1), entry.term());
        terms.append(i, entry.term());
      }
    }
  }

  private void checkLastRecords(SegmentTable table) {
    for (Segment segment : table.liveSegments()) {
      long last = segment.validLast();
      if (last < segment.firstIndex()) {
        continue;
      }
      try {
        queue.readEntry(segment, last);
      } catch (CorruptRecordException e) {
        if (segment != table.newest()) {
          throw stopOpen(e);
        }
        long bad = last;
        while (bad > segment.firstIndex() && unreadable(segment, bad - 1)) {
          bad--;
        }
        dropTornTail(segment, bad);
      }
    }
  }

  /**
   * Finds where the term changes by binary search (terms never decrease along the log), reading
   * O(term changes x log entries) records instead of all of them.
   */
  private void rebuildTermsByBisection(SegmentTable table, TermRuns terms) {
    long last = table.newest().validLast();
    long i = table.oldestLive().firstIndex();
    while (i <= last) {
      long term = termAt(table, i);
      long low = i;
      long high = last;
      if (termAt(table, high) != term) {
        high--;
        while (low < high) { // invariant: term(low) == term, term(high + 1) != term
          long mid = low + (high - low + 1) / 2;
          if (termAt(table, mid) == term) {
            low = mid;
          } else {
            high = mid - 1;
          }
        }
      } else {
        low = high;
      }
      checkTermOrder(table.holding(i), i, terms.term(i - 1), term);
      terms.append(i, term);
      i = low + 1;
    }
    for (Segment segment : table.liveSegments()) {
      checkHeaderTerm(segment, terms);
    }
  }

  private long termAt(SegmentTable table, long index) {
    try {
      return queue.readEntry(table.holding(index), index).term();
    } catch (CorruptRecordException e) {
      throw stopOpen(e);
    }
  }

  private boolean nothingReadableAfter(Segment segment, long badIndex) {
    for (long i = badIndex + 1; i <= segment.lastWritten(); i++) {
      if (!unreadable(segment, i)) {
        return false;
      }
    }
    return true;
  }

  private boolean unreadable(Segment segment, long index) {
    try {
      queue.readEntry(segment, index);
      return false;
    } catch (CorruptRecordException e) {
      return true;
    }
  }

  private void dropTornTail(Segment segment, long firstBad) {
    LOG.warn("dropping {} torn record(s) at the end of {} from index {}: written after the last "
        + "sync and cut off by a crash", segment.lastWritten() - firstBad + 1, segment.file(),
        firstBad);
    segment.dropTail(firstBad - 1);
  }

  private void checkHeaderTerm(Segment segment, TermRuns terms) {
    long expected = terms.term(segment.firstIndex() - 1);
    if (segment.header().prevTerm() != expected) {
      throw new StorageException("segment file " + segment.file() + " says the term before index "
          + segment.firstIndex() + " is " + segment.header().prevTerm() + " but the log has "
          + expected + ": the log in " + dir + " is corrupt");
    }
  }

  private void checkTermOrder(Segment segment, long index, long previousTerm, long term) {
    if (term < previousTerm) {
      throw new StorageException("the term decreases from " + previousTerm + " to " + term
          + " at index " + index + " in " + segment.file() + ": the log in " + dir
          + " is corrupt");
    }
  }

  private StorageException stopOpen(CorruptRecordException e) {
    return new StorageException(e.getMessage() + "; refusing to open the log in " + dir
        + " (entries after it would be lost). Restore this node from its peers: move the data"
        + " directory away and let the leader send a snapshot", e);
  }
}
