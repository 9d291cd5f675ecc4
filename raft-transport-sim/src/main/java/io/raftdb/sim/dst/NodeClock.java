package io.raftdb.sim.dst;

/**
 * A simulated node's monotonic clock, what {@code System.nanoTime()} is to a real node: local
 * nanoseconds that run at the node's own rate over virtual time. The rate is the node's clock
 * rate as the fault schedule skews it, the factor its tick period is stretched by, so a node
 * whose ticks come 10% late also sees 10% fewer nanoseconds pass. A new rate applies from the
 * moment it is set, and the reading carries on from where it was, so it never goes back.
 */
final class NodeClock {
  private final EventQueue events;
  /** The reading and the virtual time (microseconds) when the current rate took effect. */
  private long baseNanos;
  private long baseMicros;
  /** Virtual microseconds per local microsecond: above 1, the clock runs slow. */
  private double rate = 1.0;

  NodeClock(EventQueue events) {
    this.events = events;
    this.baseMicros = events.now();
  }

  /** The local reading now, in nanoseconds. */
  long nanos() {
    return baseNanos + (long) ((events.now() - baseMicros) * 1_000 / rate);
  }

  /** From now on, one local microsecond lasts {@code rate} virtual microseconds. */
  void rate(double newRate) {
    baseNanos = nanos();
    baseMicros = events.now();
    rate = newRate;
  }
}
