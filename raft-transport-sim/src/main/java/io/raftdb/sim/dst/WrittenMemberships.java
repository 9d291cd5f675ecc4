package io.raftdb.sim.dst;

import io.raftdb.Membership;
import io.raftdb.message.EntryKind;
import io.raftdb.message.LogEntry;
import io.raftdb.message.MembershipCodec;
import io.raftdb.storage.LogStorage;
import java.util.List;
import java.util.TreeMap;

/**
 * The checkers' account of the membership a node's written log stands for: its snapshot's (or
 * the one it was started with), then each membership entry written after it, less those a
 * truncation removed. Kept from the writes the node makes, so that after every event its
 * protocol's membership can be compared with what its log says (thesis §4.1: a node uses the
 * newest membership in its log).
 */
final class WrittenMemberships {
  private final TreeMap<Long, Membership> entries = new TreeMap<>();
  /** The membership the log starts from, or {@code null} while it is not known. */
  private Membership base;

  /** Starts over from {@code base} at {@code baseIndex}, reading what {@code log} holds after it. */
  void rebuild(Membership base, long baseIndex, LogStorage log) {
    entries.clear();
    this.base = base;
    long end = log.lastIndex() + 1;
    for (long next = Math.max(log.firstIndex(), baseIndex + 1); next < end; ) {
      List<LogEntry> batch = log.entries(next, end, 1 << 20);
      appended(batch);
      next += batch.size();
    }
  }

  void appended(List<LogEntry> written) {
    for (LogEntry e : written) {
      if (e.kind() == EntryKind.MEMBERSHIP) {
        entries.put(e.index(), MembershipCodec.decode(e.payload()));
      }
    }
  }

  void truncatedFrom(long index) {
    entries.tailMap(index, true).clear();
  }

  /** The log was reset to a snapshot holding {@code snapshotMembership} ({@code null}: unknown). */
  void reset(Membership snapshotMembership) {
    entries.clear();
    base = snapshotMembership;
  }

  /** The membership the written log stands for, or {@code null} if it is not known. */
  Membership expected() {
    return entries.isEmpty() ? base : entries.lastEntry().getValue();
  }
}
