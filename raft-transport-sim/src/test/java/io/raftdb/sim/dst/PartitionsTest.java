package io.raftdb.sim.dst;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PartitionsTest {

  @Test
  void everyShapeOfPartitionIsDrawnAndEachCutsSomeLinkWhileHealingRestoresAll() {
    Set<String> shapes = new HashSet<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 200; i++) {
      Links links = new Links(5);
      String shape = Partitions.applyRandom(links, random);
      shapes.add(shape.split(" ")[0]);
      if (!shape.equals("one-way cuts")) {
        assertFalse(links.allUp(), shape);
      }
      links.healAll();
      assertTrue(links.allUp());
    }
    assertTrue(shapes.containsAll(Set.of("isolate", "split", "one-way", "bridge")),
        shapes.toString());
  }

  @Test
  void aBridgeNodeTalksToBothSidesWhichCannotTalkToEachOther() {
    SplittableRandom random = new SplittableRandom(0);
    for (int i = 0; i < 100; i++) {
      Links links = new Links(5);
      String shape = Partitions.applyRandom(links, random);
      if (shape.startsWith("bridge")) {
        int bridge = Integer.parseInt(shape.substring("bridge n".length(), shape.indexOf(' ', 7)))
            - 1;
        for (int other = 0; other < 5; other++) {
          assertTrue(links.canSend(bridge, other) && links.canSend(other, bridge), shape);
        }
        return;
      }
    }
    throw new AssertionError("no bridge drawn in 100 tries");
  }
}
