package io.raftdb.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link ReplyWindow} behaves as a sorted map with its head cut at the acknowledged mark. */
class ReplyWindowTest {

  @Test
  void matchesASortedMapUnderRandomPutsAndAcknowledgements() {
    Random random = new Random(7);
    ReplyWindow window = new ReplyWindow();
    TreeMap<Long, byte[]> model = new TreeMap<>();
    long mark = 1;
    for (int step = 0; step < 100_000; step++) {
      if (random.nextInt(3) == 0) {
        mark += random.nextInt(random.nextInt(10) == 0 ? 500 : 4);
        window.acknowledge(mark);
        model.headMap(mark).clear();
      } else {
        long seq = mark + random.nextInt(random.nextInt(20) == 0 ? 4096 : 16);
        byte[] reply = {(byte) step};
        window.put(seq, reply);
        model.put(seq, reply);
      }
      assertEquals(model.size(), window.size());
      long probe = mark - 2 + random.nextInt(40);
      byte[] expected = model.get(probe);
      if (expected == null) {
        assertNull(window.get(probe));
      } else {
        assertArrayEquals(expected, window.get(probe));
      }
    }
    TreeMap<Long, byte[]> seen = new TreeMap<>();
    window.forEach(seen::put);
    assertEquals(model.keySet(), seen.keySet());
  }

  @Test
  void refusesNumbersOutsideTheWindow() {
    ReplyWindow window = new ReplyWindow();
    window.acknowledge(10);
    assertThrows(IllegalArgumentException.class, () -> window.put(9, new byte[1]));
    assertThrows(IllegalArgumentException.class,
        () -> window.put(10 + SessionTable.MAX_UNACKED_REPLIES, new byte[1]));
  }
}
