package io.raftdb.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.RaftConfig;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KvLimitsTest {

  @Test
  void theLargestCommandOfTheDefaultsFitsRaftDbsDefaultCommandLimitWithRoomToSpare() {
    KvLimits limits = KvLimits.defaults();
    int raftLimit = RaftConfig.defaults().maxCommandBytes();
    assertTrue(limits.maxValueBytes() < raftLimit);
    // A client session's header must fit beside the largest command, with room to spare.
    assertTrue(limits.maxCommandBytes() + (1 << 20) <= raftLimit,
        limits.maxCommandBytes() + " vs " + raftLimit);
  }

  @Test
  void maxCommandBytesIsTheSizeOfTheLargestCompareAndSet() {
    KvLimits limits = new KvLimits(300, 20_000, 1);
    KvCodec codec = new KvCodec(limits);
    byte[] largest = codec.encode(new KvCommand.CompareAndSet(
        ByteString.copyOf(new byte[300]), Optional.of(ByteString.copyOf(new byte[20_000])),
        Optional.of(ByteString.copyOf(new byte[20_000]))));
    assertEquals(largest.length, limits.maxCommandBytes());
  }

  @Test
  void refusesLimitsBelowOneOrBeyondAnArray() {
    assertThrows(IllegalArgumentException.class, () -> new KvLimits(0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new KvLimits(1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new KvLimits(1, 1, -1));
    IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
        () -> KvLimits.defaults().withMaxValueBytes(1 << 30));
    assertTrue(tooBig.getMessage().contains("maxValueBytes"), tooBig.getMessage());
  }

  @Test
  void withersChangeOneLimit() {
    KvLimits l = KvLimits.defaults().withMaxKeyBytes(10).withMaxValueBytes(20)
        .withMaxScanBytes(30);
    assertEquals(new KvLimits(10, 20, 30), l);
  }
}
