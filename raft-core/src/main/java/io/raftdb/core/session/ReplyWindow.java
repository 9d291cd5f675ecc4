package io.raftdb.core.session;

import java.util.function.BiConsumer;

/**
 * The cached replies of one session, by sequence number, from the lowest one its client still
 * waits for: a ring of slots that grows with the span of numbers in flight (at most
 * {@link SessionTable#MAX_UNACKED_REPLIES}). Acknowledging is clearing the slots below the new
 * mark, so the common case (one reply in, one acknowledged) allocates nothing.
 */
final class ReplyWindow {
  private static final int INITIAL_SLOTS = 8;

  private byte[][] slots = new byte[INITIAL_SLOTS][];
  /** Every sequence number below this is acknowledged. */
  private long base = 1;
  private int count;

  /** The reply cached for {@code sequence}, or {@code null}. */
  byte[] get(long sequence) {
    if (sequence < base || sequence - base >= slots.length) {
      return null;
    }
    return slots[(int) (sequence & (slots.length - 1))];
  }

  /**
   * Caches a reply; {@code sequence} must be at least the acknowledged mark and less than
   * {@link SessionTable#MAX_UNACKED_REPLIES} above it.
   */
  void put(long sequence, byte[] reply) {
    long offset = sequence - base;
    if (offset < 0 || offset >= SessionTable.MAX_UNACKED_REPLIES) {
      throw new IllegalArgumentException("sequence " + sequence + " outside the window from "
          + base);
    }
    if (offset >= slots.length) {
      grow(offset + 1);
    }
    int slot = (int) (sequence & (slots.length - 1));
    if (slots[slot] == null) {
      count++;
    }
    slots[slot] = reply;
  }

  /** Forgets every reply below {@code mark}; a mark at or below the current one changes nothing. */
  void acknowledge(long mark) {
    if (mark <= base) {
      return;
    }
    long end = Math.min(mark, base + slots.length);
    for (long s = base; s < end && count > 0; s++) {
      int slot = (int) (s & (slots.length - 1));
      if (slots[slot] != null) {
        slots[slot] = null;
        count--;
      }
    }
    base = mark;
  }

  /** The acknowledged mark. */
  long base() {
    return base;
  }

  /** How many replies are cached. */
  int size() {
    return count;
  }

  /** Calls {@code action} with each cached reply, in sequence order. */
  void forEach(BiConsumer<Long, byte[]> action) {
    for (long s = base; s < base + slots.length; s++) {
      byte[] reply = slots[(int) (s & (slots.length - 1))];
      if (reply != null) {
        action.accept(s, reply);
      }
    }
  }

  private void grow(long needed) {
    int size = slots.length;
    while (size < needed) {
      size *= 2;
    }
    byte[][] bigger = new byte[size][];
    for (long s = base; s < base + slots.length; s++) {
      bigger[(int) (s & (size - 1))] = slots[(int) (s & (slots.length - 1))];
    }
    slots = bigger;
  }
}
