package io.raftdb.sim.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventQueueTest {

  @Test
  void eventsFireInTimeOrderAndSimultaneousOnesInSchedulingOrder() {
    EventQueue q = new EventQueue();
    List<String> fired = new ArrayList<>();
    q.after(30, "c", () -> "");
    q.after(10, "a1", () -> "");
    q.after(10, "a2", () -> "");
    q.after(20, "b", () -> "");
    List<Long> times = new ArrayList<>();
    while (!q.isEmpty()) {
      EventQueue.Scheduled s = q.next();
      fired.add(s.label());
      times.add(q.now());
    }
    assertEquals(List.of("a1", "a2", "b", "c"), fired);
    assertEquals(List.of(10L, 10L, 20L, 30L), times);
  }

  @Test
  void delaysCountFromTheCurrentVirtualTime() {
    EventQueue q = new EventQueue();
    q.after(100, "first", () -> "");
    q.next();
    q.after(5, "second", () -> "");
    q.next();
    assertEquals(105, q.now());
  }

  @Test
  void aNegativeDelayIsRefusedAndAnEmptyQueueHasNoNextEvent() {
    EventQueue q = new EventQueue();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> q.after(-1, "bad", () -> ""));
    assertTrue(e.getMessage().contains("bad"));
    assertThrows(IllegalStateException.class, q::next);
  }
}
