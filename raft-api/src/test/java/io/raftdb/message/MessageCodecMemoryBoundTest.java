package io.raftdb.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One frame cannot decode into much more heap than the largest frame: entries are a few bytes
 * on the wire but tens of bytes on the heap, so their number per message is limited.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MessageCodecMemoryBoundTest {
  private static final int LIMIT = MessageCodec.MAX_ENTRIES_PER_MESSAGE;

  /** An AppendEntries frame of {@code count} empty no-ops from index 1, crafted byte by byte. */
  private static byte[] frameOfEmptyEntries(int count) {
    RawBytes body = RawBytes.start().commonFields(1, "n1", 1).varint(0).varint(0).varint(0)
        .varint(0).varint(count);
    for (int i = 1; i <= count; i++) {
      body.entry(EntryKind.NO_OP.code(), i, 1, new byte[0]);
    }
    return RawBytes.frame(MessageBodies.TYPE_APPEND_ENTRIES, body.toBytes());
  }

  @Test
  void theEntriesFixedHeapCostIsBoundedByTheLargestFrame() {
    assertTrue((long) LIMIT * MessageCodec.ENTRY_HEAP_BYTES <= MessageCodec.MAX_FRAME_BYTES);
    assertTrue(MessageCodec.ENTRY_HEAP_BYTES >= 48,
        "a LogEntry and its list slot take more than " + MessageCodec.ENTRY_HEAP_BYTES + " bytes");
  }

  @Test
  void aFrameOfMoreEntriesThanTheLimitIsRejected() {
    // About 6 MiB on the wire, well inside the frame limit: only the count limit refuses it.
    byte[] frame = frameOfEmptyEntries(LIMIT + 1);
    assertTrue(frame.length < MessageCodec.MAX_FRAME_BYTES / 8);

    CodecException e = assertThrows(CodecException.class, () -> MessageCodec.decode(frame));
    assertTrue(e.getMessage().contains(
        "entry count " + (LIMIT + 1) + " is more than the limit of " + LIMIT + " per message"),
        e.getMessage());
  }

  @Test
  void aFrameOfExactlyTheLimitDecodes() {
    AppendEntries decoded = (AppendEntries) MessageCodec.decode(frameOfEmptyEntries(LIMIT));
    assertEquals(LIMIT, decoded.entries().size());
    assertEquals(LIMIT, decoded.lastIndex());
  }

  @Test
  void encodingMoreEntriesThanTheLimitIsRefused() {
    List<LogEntry> entries = Collections.nCopies(LIMIT + 1, LogEntry.noOp(1, 1));
    AppendEntries tooMany = new AppendEntries(1, NodeId.of("n1"), 1, 0, 0, 0, 0, entries);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(tooMany));
    assertTrue(e.getMessage().contains("exceeds the limit of " + LIMIT), e.getMessage());
  }

  @Test
  void emptyPayloadsShareOneArray() {
    // Without this, each decoded no-op would also cost an empty array's 16-byte header.
    AppendEntries decoded = (AppendEntries) MessageCodec.decode(frameOfEmptyEntries(2));
    assertSame(decoded.entries().get(0).payload(), decoded.entries().get(1).payload());
  }
}
