package io.raftdb.core.storage.memory;

import io.raftdb.message.LogEntry;
import java.util.Arrays;

/**
 * A run of consecutive log entries {@code firstIndex..lastIndex} in a circular array, plus the
 * term just before the first. Every operation is O(1) (amortised for growth) except
 * {@link #copy()}. Not thread-safe. Validation is the caller's job: this class only asserts.
 */
final class EntryRing {
  private static final int INITIAL_CAPACITY = 64;

  private LogEntry[] slots;
  /** Slot of {@code firstIndex}; slots are addressed modulo the (power of two) capacity. */
  private int head;
  private int count;
  private long firstIndex = 1;
  private long prevTerm;

  EntryRing() {
    slots = new LogEntry[INITIAL_CAPACITY];
  }

  private EntryRing(LogEntry[] slots, int count, long firstIndex, long prevTerm) {
    this.slots = slots;
    this.count = count;
    this.firstIndex = firstIndex;
    this.prevTerm = prevTerm;
  }

  long firstIndex() {
    return firstIndex;
  }

  long lastIndex() {
    return firstIndex + count - 1;
  }

  /** The term at {@code index}, which must lie in {@code firstIndex-1..lastIndex}. */
  long term(long index) {
    return index == firstIndex - 1 ? prevTerm : get(index).term();
  }

  /** The entry at {@code index}, which must lie in {@code firstIndex..lastIndex}. */
  LogEntry get(long index) {
    return slots[slot(index)];
  }

  /** Adds the entry after the last; its index must be {@code lastIndex()+1}. */
  void add(LogEntry entry) {
    if (count == slots.length) {
      grow();
    }
    slots[(head + count) & (slots.length - 1)] = entry;
    count++;
  }

  /** Removes {@code fromIndex..lastIndex}; {@code fromIndex} is in {@code firstIndex..lastIndex+1}. */
  void truncateFrom(long fromIndex) {
    int keep = (int) (fromIndex - firstIndex);
    for (int i = keep; i < count; i++) {
      slots[(head + i) & (slots.length - 1)] = null; // let the garbage collector have them
    }
    count = keep;
  }

  /** Removes {@code firstIndex..upToIndex}; {@code upToIndex} is in {@code firstIndex-1..lastIndex}. */
  void dropThrough(long upToIndex) {
    long newPrevTerm = term(upToIndex);
    int drop = (int) (upToIndex - firstIndex + 1);
    for (int i = 0; i < drop; i++) {
      slots[(head + i) & (slots.length - 1)] = null;
    }
    head = (head + drop) & (slots.length - 1);
    count -= drop;
    firstIndex = upToIndex + 1;
    prevTerm = newPrevTerm;
  }

  /** Empties the run so that it continues after {@code index} whose term is {@code term}. */
  void restartAfter(long index, long term) {
    Arrays.fill(slots, null);
    head = 0;
    count = 0;
    firstIndex = index + 1;
    prevTerm = term;
  }

  /** An independent copy holding the same entries (which are immutable and thus shared). */
  EntryRing copy() {
    LogEntry[] copied = new LogEntry[slots.length];
    for (int i = 0; i < count; i++) {
      copied[i] = slots[(head + i) & (slots.length - 1)];
    }
    return new EntryRing(copied, count, firstIndex, prevTerm);
  }

  private int slot(long index) {
    long offset = index - firstIndex;
    if (offset < 0 || offset >= count) {
      throw new IndexOutOfBoundsException(
          "index " + index + " outside " + firstIndex + ".." + lastIndex());
    }
    return (int) ((head + offset) & (slots.length - 1));
  }

  private void grow() {
    if (slots.length > (1 << 29)) {
      throw new IllegalStateException("in-memory log holds too many entries: " + count);
    }
    LogEntry[] bigger = new LogEntry[slots.length * 2];
    for (int i = 0; i < count; i++) {
      bigger[i] = slots[(head + i) & (slots.length - 1)];
    }
    slots = bigger;
    head = 0;
  }
}
