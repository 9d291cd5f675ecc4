package io.raftdb.core.client;

import java.util.Arrays;

/**
 * The calls of a {@link DefaultRaftClient} that are not yet done, each in a slot of its own, and
 * the ids of their attempts. An attempt's id carries its call's slot in its low bits, so that a
 * reply finds its call by an array index, and a stale reply (an earlier attempt, a finished call
 * whose slot was reused) is told apart by comparing the whole id: every id is new. A hash map of
 * boxed ids and a linked set of calls cost more here than the rest of the client's bookkeeping.
 * Guarded by the client's lock.
 */
final class CallTable {
  private static final int SLOT_BITS = 16;
  private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;
  /** Never given to a call: ids of requests whose replies nobody waits for carry it. */
  private static final int DETACHED_SLOT = SLOT_MASK;

  private ClientCall[] slots = new ClientCall[16];
  private int[] free = new int[16];
  private int freeCount;
  private int used; // slots ever handed out: 0..used-1 are taken or free
  private long attempts;

  /** Gives {@code call} a slot until {@link #remove}. */
  void add(ClientCall call) {
    int slot;
    if (freeCount > 0) {
      slot = free[--freeCount];
    } else {
      if (used == DETACHED_SLOT) {
        throw new IllegalStateException("more than " + DETACHED_SLOT + " calls outstanding");
      }
      if (used == slots.length) {
        slots = Arrays.copyOf(slots, Math.min(2 * used, DETACHED_SLOT));
        free = Arrays.copyOf(free, slots.length);
      }
      slot = used++;
    }
    slots[slot] = call;
    call.slot = slot;
  }

  /** Frees the slot of {@code call}; its attempts are then unknown. No-op if it has none. */
  void remove(ClientCall call) {
    int slot = call.slot;
    if (slot >= 0 && slots[slot] == call) {
      slots[slot] = null;
      free[freeCount++] = slot;
    }
    call.slot = -1;
  }

  /** A new attempt id for {@code call}, which must hold a slot. */
  long newAttemptId(ClientCall call) {
    return (++attempts << SLOT_BITS) | call.slot;
  }

  /** A new id for a request that no call waits on: no reply finds a call by it. */
  long detachedAttemptId() {
    return (++attempts << SLOT_BITS) | DETACHED_SLOT;
  }

  /** The call whose attempt in flight has this id, or {@code null}. */
  ClientCall byAttempt(long attemptId) {
    int slot = (int) (attemptId & SLOT_MASK);
    if (slot >= used) {
      return null;
    }
    ClientCall call = slots[slot];
    return call != null && call.callId == attemptId ? call : null;
  }

  boolean isEmpty() {
    return used == freeCount;
  }

  /** The calls, for a pass that may end some of them. */
  ClientCall[] toArray() {
    ClientCall[] calls = new ClientCall[used - freeCount];
    int n = 0;
    for (int i = 0; i < used; i++) {
      if (slots[i] != null) {
        calls[n++] = slots[i];
      }
    }
    return calls;
  }
}
