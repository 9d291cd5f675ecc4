package io.raftdb.testkit.linearizability;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The search over one independent part of a history (Wing and Gong's algorithm with Lowe's
 * memoisation): walk the calls and returns in time order, tentatively linearize an operation
 * whose call has been reached if the model allows its answer, and back-track when a return is
 * reached for an operation not yet linearized (it must have taken effect before it returned).
 * Each (set of operations done, state) pair is explored once, which keeps typical histories
 * near linear.
 *
 * <p>An operation of unknown outcome has a call but no return event: nothing forces it in, so
 * the search succeeds as soon as every operation of known outcome is placed, whatever unknown
 * ones are left. That is "it may never have taken effect" taken literally, and it does not rely
 * on the model accepting such an operation in the final state.
 */
final class PartitionSearch<S, I, O> {

  /** A call or return of one operation, in a doubly linked list in time order. */
  private static final class Event {
    final int op;
    final boolean call;
    /** The other event of the operation; {@code null} for the call of an unknown outcome. */
    Event match;
    Event prev;
    Event next;

    Event(int op, boolean call) {
      this.op = op;
      this.call = call;
    }
  }

  private record Frame<S>(Event call, S stateBefore) {}

  /**
   * A set of operations done, by two independent 64-bit Zobrist hashes (the XOR of a random pair
   * per operation), and a state. Copying a bit set of the whole history per step costs
   * quadratic time and memory on long histories; two operation sets share both hashes with
   * probability about 2^-128, far below any other source of error in a test.
   */
  private record Explored<S>(long doneHashA, long doneHashB, S state) {}

  private final Model<S, I, O> model;
  private final List<Operation<I, O>> ops;
  private final long deadlineNanos;
  private final Event head = new Event(-1, false);
  /** The operations linearized so far, in order (the stack's contents, without boxing). */
  private final int[] current;
  private int[] longestOrder = new int[0];
  /** Whether {@link #current} holds an order longer than {@link #longestOrder} not yet copied. */
  private boolean longerUncopied;
  /** Operations of known outcome not yet linearized; the search succeeds when none are left. */
  private int knownLeft;

  PartitionSearch(Model<S, I, O> model, List<Operation<I, O>> ops, long deadlineNanos) {
    this.model = model;
    this.ops = ops;
    this.deadlineNanos = deadlineNanos;
    this.current = new int[ops.size()];
    link();
  }

  /** The longest order of operations (indexes into the part) the search managed to build. */
  int[] longestOrder() {
    return longestOrder;
  }

  /**
   * Copies the current order if it is the longest yet, just before it shrinks: copying at every
   * new maximum instead would cost quadratic time on a long sequential history.
   */
  private void keepIfLongest(int depth) {
    if (longerUncopied) {
      longestOrder = Arrays.copyOf(current, depth);
      longerUncopied = false;
    }
  }

  Verdict run() {
    S state = model.initialState();
    long[] keysA = randomKeys(ops.size(), 0x5DEECE66DL);
    long[] keysB = randomKeys(ops.size(), 0x9E3779B97F4A7C15L);
    long doneA = 0;
    long doneB = 0;
    Deque<Frame<S>> stack = new ArrayDeque<>();
    Set<Explored<S>> explored = new HashSet<>();
    Event entry = head.next;
    long steps = 0;
    while (knownLeft > 0) {
      if ((++steps & 1023) == 0 && System.nanoTime() - deadlineNanos > 0) {
        return Verdict.UNKNOWN;
      }
      // Past the end cannot happen while a known operation is left (its return is still ahead),
      // but treating it as a return keeps the walk safe if it ever did.
      if (entry != null && entry.call) {
        Operation<I, O> op = ops.get(entry.op);
        S next = model.step(state, op.input(), op.output());
        if (next != null) {
          if (explored.add(new Explored<>(doneA ^ keysA[entry.op], doneB ^ keysB[entry.op],
              next))) {
            doneA ^= keysA[entry.op];
            doneB ^= keysB[entry.op];
            current[stack.size()] = entry.op;
            stack.push(new Frame<>(entry, state));
            state = next;
            lift(entry);
            if (entry.match != null) {
              knownLeft--;
            }
            if (stack.size() > longestOrder.length) {
              longerUncopied = true;
            }
            entry = head.next;
            continue;
          }
        }
        entry = entry.next;
      } else {
        // An operation returned without being linearized: undo the last choice.
        if (stack.isEmpty()) {
          return Verdict.NOT_LINEARIZABLE;
        }
        keepIfLongest(stack.size());
        Frame<S> undone = stack.pop();
        state = undone.stateBefore();
        doneA ^= keysA[undone.call().op];
        doneB ^= keysB[undone.call().op];
        unlift(undone.call());
        if (undone.call().match != null) {
          knownLeft++;
        }
        entry = undone.call().next;
      }
    }
    return Verdict.LINEARIZABLE;
  }

  private static long[] randomKeys(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = random.nextLong();
    }
    return keys;
  }

  /**
   * Builds the event list. At equal times calls come first, treating the operations as
   * overlapping, which only ever allows more orders (never a false alarm).
   */
  private void link() {
    List<Event> events = new ArrayList<>(2 * ops.size());
    for (int i = 0; i < ops.size(); i++) {
      Event call = new Event(i, true);
      events.add(call);
      if (ops.get(i).outcomeKnown()) {
        Event ret = new Event(i, false);
        call.match = ret;
        ret.match = call;
        events.add(ret);
        knownLeft++;
      }
    }
    events.sort(Comparator.comparingLong(this::time).thenComparing(e -> !e.call));
    Event last = head;
    for (Event e : events) {
      last.next = e;
      e.prev = last;
      last = e;
    }
  }

  private long time(Event e) {
    Operation<I, O> op = ops.get(e.op);
    return e.call ? op.callNanos() : op.returnNanos();
  }

  /** Takes an operation's call and return (if it has one) out of the list. */
  private static void lift(Event call) {
    remove(call);
    if (call.match != null) {
      remove(call.match);
    }
  }

  /** Puts them back, in the reverse order of {@link #lift}. */
  private static void unlift(Event call) {
    if (call.match != null) {
      restore(call.match);
    }
    restore(call);
  }

  private static void remove(Event e) {
    e.prev.next = e.next;
    if (e.next != null) {
      e.next.prev = e.prev;
    }
  }

  private static void restore(Event e) {
    e.prev.next = e;
    if (e.next != null) {
      e.next.prev = e;
    }
  }
}
