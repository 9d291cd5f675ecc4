package io.raftdb.core.storage.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class SnapshotCrc32cTest {

  private static int crc(byte[] bytes, int from, int to) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, from, to - from);
    return (int) crc.getValue();
  }

  @Test
  void combiningTheChecksumsOfTwoPartsGivesTheChecksumOfTheWhole() {
    Random random = new Random(11);
    for (int trial = 0; trial < 2_000; trial++) {
      byte[] bytes = new byte[random.nextInt(trial < 1_000 ? 40 : 5_000)];
      random.nextBytes(bytes);
      int split = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);

      int combined = Crc32c.combine(crc(bytes, 0, split), crc(bytes, split, bytes.length),
          bytes.length - split);

      assertEquals(crc(bytes, 0, bytes.length), combined, "trial " + trial + " split " + split);
    }
  }

  @Test
  void combiningWithALongSecondPartMatches() {
    // Lengths with many set bits exercise many of the precomputed powers of x.
    byte[] bytes = new byte[(1 << 22) - 1 + 17];
    new Random(5).nextBytes(bytes);
    int split = 17;

    assertEquals(crc(bytes, 0, bytes.length), Crc32c.combine(crc(bytes, 0, split),
        crc(bytes, split, bytes.length), bytes.length - split));
  }

  @Test
  void anEmptySecondPartLeavesTheFirstChecksum() {
    byte[] bytes = {1, 2, 3};
    assertEquals(crc(bytes, 0, 3), Crc32c.combine(crc(bytes, 0, 3), crc(bytes, 3, 3), 0));
  }

  @Test
  void aNegativeLengthIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Crc32c.combine(0, 0, -1));
  }
}
