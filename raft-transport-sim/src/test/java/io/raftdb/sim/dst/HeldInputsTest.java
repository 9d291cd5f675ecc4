package io.raftdb.sim.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a held-up node owes is paid back as the runtime's event loop does. */
class HeldInputsTest {

  @Test
  void queuedInputsComeBackInArrivalOrder() {
    HeldInputs held = new HeldInputs();
    List<String> ran = new ArrayList<>();
    held.queue(() -> ran.add("a"));
    held.queue(() -> ran.add("b"));
    held.poll().run();
    held.poll().run();
    assertNull(held.poll());
    assertEquals(List.of("a", "b"), ran);
  }

  @Test
  void atMostThreeMissedTicksAreFiredAndTheRestAreForgotten() {
    HeldInputs held = new HeldInputs();
    for (int i = 0; i < 30; i++) {
      held.tickMissed();
    }
    assertEquals(HeldInputs.MAX_CATCH_UP_TICKS, held.takeCatchUpTicks());
    assertEquals(0, held.missedTicks());
    held.tickMissed();
    assertEquals(1, held.takeCatchUpTicks());
  }
}
