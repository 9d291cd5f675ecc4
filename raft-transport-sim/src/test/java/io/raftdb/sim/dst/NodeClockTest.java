package io.raftdb.sim.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A node's monotonic clock runs at its own rate over virtual time and never goes back. */
class NodeClockTest {
  private final EventQueue events = new EventQueue();

  private void advance(long micros) {
    events.after(micros, "time passes", () -> "");
    events.next();
  }

  @Test
  void aTrueClockReadsVirtualTimeInNanoseconds() {
    NodeClock clock = new NodeClock(events);
    advance(1_500);
    assertEquals(1_500_000, clock.nanos());
  }

  @Test
  void aSlowClockSeesLessTimePassAndCarriesOnAcrossARateChange() {
    NodeClock clock = new NodeClock(events);
    clock.rate(1.25); // a local second lasts 1.25 real ones, as its ticks do
    advance(10_000);
    assertEquals(8_000_000, clock.nanos());
    clock.rate(0.5);
    long before = clock.nanos();
    advance(1_000);
    assertEquals(before + 2_000_000, clock.nanos());
    clock.rate(1.0);
    assertTrue(clock.nanos() >= before, "monotonic across rate changes");
  }
}
