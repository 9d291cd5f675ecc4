package io.raftdb.core.storage.chronicle;

import io.raftdb.storage.StorageException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which segments make up the log. Segments are ordered by cycle (their age). A newer segment
 * whose first index is at or below an older one's first index shadows it completely; one whose
 * first index falls inside an older one clips it ({@code validLast = newer.first - 1}); a
 * {@link SegmentHeader.Reason#RESET} segment shadows everything older. The segments left are the
 * live ones, whose ranges tile the log without gaps. Index lookup is O(log segments).
 * Not thread-safe.
 */
final class SegmentTable {
  /** Every segment file present, oldest first, shadowed ones included. */
  private final List<Segment> byAge = new ArrayList<>();
  /** The live segments by first index. */
  private final TreeMap<Long, Segment> live = new TreeMap<>();

  /**
   * The table of segments recovered from disk, oldest first. Each segment's lastWritten must be
   * known.
   *
   * @throws StorageException if the live segments leave a gap (entries lost)
   */
  static SegmentTable recover(List<Segment> oldestFirst) {
    SegmentTable table = new SegmentTable();
    table.byAge.addAll(oldestFirst);
    long lowestNewerFirst = Long.MAX_VALUE;
    boolean resetSeen = false;
    for (int i = oldestFirst.size() - 1; i >= 0; i--) {
      Segment segment = oldestFirst.get(i);
      if (!resetSeen && segment.firstIndex() < lowestNewerFirst) {
        segment.clipValidLast(lowestNewerFirst == Long.MAX_VALUE ? Long.MAX_VALUE
            : lowestNewerFirst - 1);
        table.live.put(segment.firstIndex(), segment);
      }
      lowestNewerFirst = Math.min(lowestNewerFirst, segment.firstIndex());
      resetSeen |= segment.header().reason() == SegmentHeader.Reason.RESET;
    }
    Segment previous = null;
    for (Segment segment : table.live.values()) {
      if (previous != null && previous.validLast() != segment.firstIndex() - 1) {
        throw new StorageException("the log has a gap: " + previous.file() + " ends at index "
            + previous.validLast() + " but the next segment " + segment.file()
            + " starts at " + segment.firstIndex() + " (entries were lost; refusing to start)");
      }
      previous = segment;
    }
    return table;
  }

  boolean isEmpty() {
    return byAge.isEmpty();
  }

  /** The segment being written; the table must not be empty. */
  Segment newest() {
    return byAge.get(byAge.size() - 1);
  }

  /** The oldest live segment: it defines the first index and the term before it. */
  Segment oldestLive() {
    return live.firstEntry().getValue();
  }

  Collection<Segment> liveSegments() {
    return live.values();
  }

  /** The live segment holding {@code index}, which must lie in firstIndex-1..lastIndex. */
  Segment holding(long index) {
    Map.Entry<Long, Segment> floor = live.floorEntry(index);
    return floor != null ? floor.getValue() : live.firstEntry().getValue();
  }

  /** Adds a new newest segment and shadows or clips the older ones it replaces. */
  void add(Segment segment) {
    long first = segment.firstIndex();
    if (segment.header().reason() == SegmentHeader.Reason.RESET) {
      live.clear();
    } else {
      live.tailMap(first, true).clear();
      Map.Entry<Long, Segment> floor = live.floorEntry(first);
      if (floor != null) {
        floor.getValue().clipValidLast(first - 1);
      }
    }
    byAge.add(segment);
    live.put(first, segment);
  }

  /** Removes and returns every segment older than {@code keep} (a prefix by age). */
  List<Segment> removeOlderThan(Segment keep) {
    List<Segment> removed = new ArrayList<>();
    while (byAge.get(0) != keep) {
      Segment old = byAge.remove(0);
      live.remove(old.firstIndex(), old);
      removed.add(old);
    }
    return removed;
  }

  int size() {
    return byAge.size();
  }

  @Override
  public String toString() {
    return "segments " + byAge + ", live " + live.values();
  }
}
