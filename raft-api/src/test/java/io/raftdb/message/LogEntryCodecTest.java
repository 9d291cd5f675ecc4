package io.raftdb.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LogEntryCodecTest {
  static Stream<LogEntry> edgeEntries() {
    return Stream.of(
        LogEntry.command(1, 1, new byte[0]),
        LogEntry.noOp(1, 1),
        LogEntry.command(Long.MAX_VALUE, Long.MAX_VALUE, new byte[] {-128, 0, 127}),
        LogEntry.noOp(128, 16_384),
        LogEntry.command(42, 3, new byte[70_000]));
  }

  private static void assertRejected(byte[] record, String... expectedParts) {
    CodecException e = assertThrows(CodecException.class, () -> LogEntryCodec.decode(record));
    for (String part : expectedParts) {
      assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("edgeEntries")
  void entryRoundTripsExactly(LogEntry entry) {
    byte[] record = LogEntryCodec.encode(entry);

    assertEquals(entry, LogEntryCodec.decode(record));
    assertEquals(record.length, LogEntryCodec.encodedSize(entry));
  }

  @ParameterizedTest
  @MethodSource("edgeEntries")
  void recordIsVersionThenBodyThenCrc32cOfEverythingBefore(LogEntry entry) {
    byte[] record = LogEntryCodec.encode(entry);
    CRC32C crc = new CRC32C();
    crc.update(record, 0, record.length - 4);

    assertEquals(LogEntryCodec.RECORD_VERSION, record[0]);
    assertEquals(entry.kind().code(), record[1]);
    assertEquals((int) crc.getValue(), ByteBuffer.wrap(record, record.length - 4, 4).getInt());
  }

  @Test
  void layoutMatchesTheDocumentedFieldOrder() {
    byte[] expected = RawBytes.record(
        RawBytes.start().entry(1, 300, 2, new byte[] {7, 8}).toBytes());

    assertArrayEquals(expected, LogEntryCodec.encode(LogEntry.command(300, 2, new byte[] {7, 8})));
  }

  @Test
  void randomEntriesRoundTripOverManySeeds() {
    for (long seed = 1; seed <= 200; seed++) {
      RandomMessages random = new RandomMessages(seed);
      for (int i = 0; i < 20; i++) {
        LogEntry entry = random.entry();
        assertEquals(entry, LogEntryCodec.decode(LogEntryCodec.encode(entry)), "seed " + seed);
      }
    }
  }

  @Test
  void recordsWrittenEndToEndIntoOneBufferReadBackOneAtATime() {
    List<LogEntry> entries = edgeEntries().toList();
    int total = entries.stream().mapToInt(LogEntryCodec::encodedSize).sum();
    for (ByteBuffer buf : List.of(ByteBuffer.allocate(total + 8),
        ByteBuffer.allocateDirect(total + 8), ByteBuffer.allocate(total + 8)
            .order(ByteOrder.LITTLE_ENDIAN))) {
      buf.position(5);
      for (LogEntry entry : entries) {
        int before = buf.position();
        LogEntryCodec.encodeTo(entry, buf);
        assertEquals(before + LogEntryCodec.encodedSize(entry), buf.position());
      }
      buf.flip().position(5);

      for (LogEntry entry : entries) {
        assertEquals(entry, LogEntryCodec.decode(buf));
      }
      assertEquals(0, buf.remaining());
    }
  }

  @Test
  void encodeToRefusesABufferTooSmallAndWritesNothing() {
    LogEntry entry = LogEntry.command(1, 1, new byte[10]);
    ByteBuffer small = ByteBuffer.allocate(LogEntryCodec.encodedSize(entry) - 1);

    assertThrows(IllegalArgumentException.class, () -> LogEntryCodec.encodeTo(entry, small));
    assertEquals(0, small.position());
  }

  @Test
  void everyTruncationAndEveryBitFlipIsRejected() {
    byte[] record = LogEntryCodec.encode(LogEntry.command(1_000, 9, new byte[] {1, 2, 3}));
    for (int length = 0; length < record.length; length++) {
      ByteBuffer truncated = ByteBuffer.wrap(Arrays.copyOf(record, length));
      assertThrows(CodecException.class, () -> LogEntryCodec.decode(truncated), "length " + length);
      assertEquals(0, truncated.position(), "a failed decode leaves the position where it was");
    }
    for (int bit = 0; bit < record.length * 8; bit++) {
      byte[] damaged = record.clone();
      damaged[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThrows(CodecException.class, () -> LogEntryCodec.decode(damaged), "bit " + bit);
    }
  }

  @Test
  void aFlippedKindBitReadsAsCorruptionNotAsAnUnknownKind() {
    byte[] record = LogEntryCodec.encode(LogEntry.command(5, 1, new byte[] {1}));
    record[1] ^= 4;
    assertRejected(record, "checksum mismatch");
  }

  @Test
  void unknownVersionIsRejected() {
    byte[] record = LogEntryCodec.encode(LogEntry.noOp(1, 1));
    record[0] = (byte) 0xE2;
    assertRejected(record, "log entry record at offset 0", "unknown version byte 0xe2");
  }

  @Test
  void unknownKindBehindAValidChecksumIsRejected() {
    assertRejected(RawBytes.record(RawBytes.start().entry(0, 1, 1, new byte[0]).toBytes()),
        "offset 1", "unknown entry kind 0");
  }

  @Test
  void indexZeroBehindAValidChecksumIsRejected() {
    assertRejected(RawBytes.record(RawBytes.start().entry(1, 0, 1, new byte[0]).toBytes()),
        "offset 2", "entry index must be at least 1, got 0");
  }

  @Test
  void negativeTermBehindAValidChecksumIsRejected() {
    assertRejected(RawBytes.record(RawBytes.start().entry(1, 1, -1, new byte[0]).toBytes()),
        "offset 3", "entry term must be at least 1, got -1");
  }

  @Test
  void payloadLengthBeyondTheRecordIsRejectedWithoutAllocating() {
    byte[] record = RawBytes.start().u8(0xE1).u8(1).varint(1).varint(1).varint(Integer.MAX_VALUE)
        .toBytes();
    assertRejected(record, "payload length 2147483647 is outside");
    byte[] shortRecord = RawBytes.start().u8(0xE1).u8(1).varint(1).varint(1).varint(1_000)
        .bytes(new byte[8]).toBytes();
    assertRejected(shortRecord, "payload length 1000 exceeds the 8 bytes that remain");
  }

  @Test
  void trailingGarbageAfterARecordInAnArrayIsRejected() {
    byte[] record = LogEntryCodec.encode(LogEntry.noOp(1, 1));
    assertRejected(Arrays.copyOf(record, record.length + 1), "1 trailing bytes");
  }

  @Test
  void messageFrameGivenAsARecordIsRejected() {
    byte[] frame = MessageCodec.encode(new TimeoutNow(1, io.raftdb.NodeId.of("n1"), 1));
    assertRejected(frame, "unknown version byte 0xb1");
  }

  @Test
  void randomByteArraysGiveOnlyCodecExceptions() {
    Random random = new Random(4242);
    List<byte[]> decodedInputs = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      byte[] bytes = new byte[random.nextInt(60)];
      random.nextBytes(bytes);
      if (i % 2 == 0 && bytes.length > 0) {
        bytes[0] = LogEntryCodec.RECORD_VERSION;
      }
      try {
        LogEntry entry = LogEntryCodec.decode(bytes);
        decodedInputs.add(bytes);
        assertArrayEquals(bytes, LogEntryCodec.encode(entry));
      } catch (CodecException expected) {
        // the only acceptable failure
      } catch (RuntimeException | Error e) {
        throw new AssertionError("input " + RawBytes.hex(bytes) + " threw " + e, e);
      }
    }
    assertTrue(decodedInputs.size() < 5, "random bytes should almost never pass the checksum");
  }
}
