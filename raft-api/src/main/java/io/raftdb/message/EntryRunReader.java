package io.raftdb.message;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the entries of an {@link AppendEntries} body and checks that they form a run a leader
 * could have sent: at most {@link MessageCodec#MAX_ENTRIES_PER_MESSAGE} of them, indexes
 * consecutive from {@code prevLogIndex + 1} without overflowing, terms never decreasing and never
 * above the message's term (a leader's log holds no entry of a later term than its own).
 *
 * <p>These hold whatever the receiver's state, so checking them here spares every receiver index
 * arithmetic on impossible values; whether the run fits the receiver's log is the protocol's
 * question.
 */
final class EntryRunReader {
  private EntryRunReader() {}

  /** Reads the entry count and the entries; {@code prevLogIndex} and {@code term} are >= 0. */
  static List<LogEntry> read(WireReader in, long term, long prevLogIndex) {
    int countAt = in.position();
    // The count is bounded by the remaining bytes (each entry takes at least MIN_BODY_BYTES)
    // before anything is allocated, then by the per-message limit that bounds the heap.
    int count = in.readCount("entry count", LogEntryCodec.MIN_BODY_BYTES);
    if (count > MessageCodec.MAX_ENTRIES_PER_MESSAGE) {
      throw in.error(countAt, "entry count " + count + " is more than the limit of "
          + MessageCodec.MAX_ENTRIES_PER_MESSAGE + " per message");
    }
    if (count > Long.MAX_VALUE - prevLogIndex) {
      throw in.error(countAt, "prevLogIndex " + prevLogIndex + " + entry count " + count
          + " overflows a log index");
    }
    List<LogEntry> entries = new ArrayList<>(count);
    long previousTerm = 0;
    for (int i = 0; i < count; i++) {
      int at = in.position();
      LogEntry entry = LogEntryCodec.readBody(in);
      long expectedIndex = prevLogIndex + 1 + i;
      if (entry.index() != expectedIndex) {
        throw in.error(at, "entry " + i + " has index " + entry.index() + " but the entries must"
            + " run consecutively from prevLogIndex + 1, so it must be " + expectedIndex);
      }
      if (entry.term() > term) {
        throw in.error(at, "entry " + entry.index() + " has term " + entry.term()
            + ", above the message's term " + term);
      }
      if (entry.term() < previousTerm) {
        throw in.error(at, "entry " + entry.index() + " has term " + entry.term()
            + ", below the previous entry's term " + previousTerm + " (terms never decrease)");
      }
      previousTerm = entry.term();
      entries.add(entry);
    }
    return entries;
  }
}
