package io.raftdb.sim.dst;

import java.util.PriorityQueue;

/**
 * The simulator's agenda on virtual time (in microseconds). Events fire in time order; events
 * due at the same moment fire in the order they were scheduled, so a run depends on nothing but
 * its seed.
 *
 * <p>Single-threaded, like the whole simulator.
 */
final class EventQueue {
  /** More pending events than this means a runaway feedback loop in the simulator itself. */
  static final int MAX_PENDING = 2_000_000;

  /** What an event does; returns a short note on the outcome for the trace, or {@code ""}. */
  @FunctionalInterface
  interface Action {
    String run();
  }

  /** One pending event. */
  record Scheduled(long time, long seq, String label, Action action) {}

  private final PriorityQueue<Scheduled> pending = new PriorityQueue<>((a, b) -> {
    int byTime = Long.compare(a.time, b.time);
    return byTime != 0 ? byTime : Long.compare(a.seq, b.seq);
  });
  private long now;
  private long nextSeq;

  /** The current virtual time in microseconds. */
  long now() {
    return now;
  }

  /** Schedules {@code action} to run {@code delay} microseconds from now. */
  void after(long delay, String label, Action action) {
    if (delay < 0) {
      throw new IllegalArgumentException("negative delay " + delay + " for " + label);
    }
    if (pending.size() >= MAX_PENDING) {
      throw new IllegalStateException("more than " + MAX_PENDING
          + " pending events: the simulation is feeding itself");
    }
    pending.add(new Scheduled(now + delay, nextSeq++, label, action));
  }

  /** Whether nothing is pending. */
  boolean isEmpty() {
    return pending.isEmpty();
  }

  /** How many events are pending. */
  int size() {
    return pending.size();
  }

  /** Removes the next event and moves the clock to its time; the caller runs it. */
  Scheduled next() {
    Scheduled s = pending.poll();
    if (s == null) {
      throw new IllegalStateException("no pending event");
    }
    now = s.time;
    return s;
  }
}
