package io.raftdb.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of malformed frame is rejected with a message that says what and where. */
class MessageCodecMalformedInputTest {
  private static final int TIMEOUT_NOW = MessageBodies.TYPE_TIMEOUT_NOW;
  private static final int APPEND_ENTRIES = MessageBodies.TYPE_APPEND_ENTRIES;
  private static final int REQUEST_VOTE = MessageBodies.TYPE_REQUEST_VOTE;
  private static final int INSTALL_SNAPSHOT = MessageBodies.TYPE_INSTALL_SNAPSHOT;
  private static final int INSTALL_SNAPSHOT_RESPONSE =
      MessageBodies.TYPE_INSTALL_SNAPSHOT_RESPONSE;

  /** Offset of the first body byte in a frame. */
  private static final int BODY = MessageCodec.HEADER_BYTES;

  private static void assertRejected(byte[] frame, String... expectedParts) {
    CodecException e = assertThrows(CodecException.class, () -> MessageCodec.decode(frame));
    for (String part : expectedParts) {
      assertTrue(e.getMessage().contains(part),
          "expected '" + part + "' in: " + e.getMessage());
    }
  }

  /** An AppendEntries body up to (not including) the entry count. */
  private static RawBytes appendEntriesHead() {
    return RawBytes.start().commonFields(1, "n1", 2).varint(3).varint(1).varint(3).varint(4);
  }

  @Test
  void emptyInputIsTruncated() {
    assertRejected(new byte[0], "offset 0", "truncated", "format byte");
  }

  @Test
  void unknownFormatVersionIsRejected() {
    byte[] frame = MessageCodec.encode(new TimeoutNow(1, NodeId.of("n1"), 2));
    frame[0] = (byte) 0xB2;
    assertRejected(frame, "offset 0", "unknown format/version byte 0xb2");
  }

  @Test
  void unknownMessageTypeBehindAValidChecksumIsRejected() {
    byte[] frame = RawBytes.frame(99, RawBytes.start().commonFields(1, "n1", 2).toBytes());
    assertRejected(frame, "offset 1", "unknown message type 99");
  }

  @Test
  void theTypeAfterTheLastKnownOneIsRejected() {
    int next = MessageBodies.TYPE_CLIENT_REPLY + 1;
    byte[] frame = RawBytes.frame(next, RawBytes.start().commonFields(1, "n1", 2).toBytes());
    assertRejected(frame, "offset 1", "unknown message type " + next);
  }

  @Test
  void negativeBodyLengthIsRejected() {
    byte[] frame = RawBytes.start().u8(0xB1).u8(TIMEOUT_NOW).int32(Integer.MIN_VALUE).toBytes();
    assertRejected(frame, "offset 2", "body length -2147483648 is outside");
  }

  @Test
  void bodyLengthAboveTheFrameLimitIsRejectedWithoutAllocating() {
    byte[] frame = RawBytes.start().u8(0xB1).u8(TIMEOUT_NOW).int32(Integer.MAX_VALUE).toBytes();
    assertRejected(frame, "offset 2", "body length 2147483647 is outside");
  }

  @Test
  void bodyLengthBeyondTheAvailableBytesIsTruncated() {
    byte[] frame = RawBytes.start().u8(0xB1).u8(TIMEOUT_NOW).int32(1000).bytes(new byte[20])
        .toBytes();
    assertRejected(frame, "truncated", "needs 1010 bytes but only 26 are available");
  }

  @Test
  void checksumMismatchIsReportedAsCorruption() {
    byte[] frame = MessageCodec.encode(new TimeoutNow(1, NodeId.of("n1"), 2));
    frame[frame.length - 1] ^= 1;
    assertRejected(frame, "offset " + (frame.length - 4), "checksum mismatch", "corrupt");
  }

  @Test
  void trailingGarbageAfterAFrameInAnArrayIsRejected() {
    byte[] frame = MessageCodec.encode(new TimeoutNow(1, NodeId.of("n1"), 2));
    byte[] withGarbage = Arrays.copyOf(frame, frame.length + 3);
    assertRejected(withGarbage, "offset " + frame.length, "3 trailing bytes");
  }

  @Test
  void unreadBytesInsideTheBodyAreRejected() {
    byte[] frame = RawBytes.frame(TIMEOUT_NOW,
        RawBytes.start().commonFields(1, "n1", 2).u8(0).toBytes());
    assertRejected(frame, "1 unread bytes at the end of the TimeoutNow body");
  }

  @Test
  void unknownEntryKindIsRejected() {
    byte[] body = appendEntriesHead().varint(1).entry(7, 4, 2, new byte[0]).toBytes();
    int kindOffset = BODY + body.length - 4;
    assertRejected(RawBytes.frame(APPEND_ENTRIES, body), "offset " + kindOffset,
        "unknown entry kind 7");
  }

  @Test
  void entryIndexZeroIsRejected() {
    byte[] body = appendEntriesHead().varint(1).entry(1, 0, 2, new byte[] {9}).toBytes();
    assertRejected(RawBytes.frame(APPEND_ENTRIES, body), "entry index must be at least 1, got 0");
  }

  @Test
  void negativeEntryIndexIsRejected() {
    byte[] body = appendEntriesHead().varint(1).entry(1, -5, 2, new byte[] {9}).toBytes();
    assertRejected(RawBytes.frame(APPEND_ENTRIES, body), "entry index must be at least 1, got -5");
  }

  @Test
  void entryTermZeroIsRejected() {
    byte[] body = appendEntriesHead().varint(1).entry(1, 4, 0, new byte[0]).toBytes();
    assertRejected(RawBytes.frame(APPEND_ENTRIES, body), "entry term must be at least 1, got 0");
  }

  @Test
  void entryCountLargerThanTheBytesCouldHoldIsRejected() {
    byte[] body = appendEntriesHead().varint(1_000_000).entry(1, 4, 2, new byte[0]).toBytes();
    assertRejected(RawBytes.frame(APPEND_ENTRIES, body),
        "entry count 1000000 cannot fit in the 4 remaining bytes");
  }

  @Test
  void negativeEntryCountIsRejected() {
    byte[] body = appendEntriesHead().varint(-1).toBytes();
    assertRejected(RawBytes.frame(APPEND_ENTRIES, body), "entry count -1 cannot fit");
  }

  @Test
  void payloadLengthAboveTheLimitIsRejected() {
    byte[] body = appendEntriesHead().varint(1).u8(1).varint(4).varint(2).varint(1L << 40)
        .toBytes();
    assertRejected(RawBytes.frame(APPEND_ENTRIES, body), "payload length 1099511627776 is outside");
  }

  @Test
  void payloadLengthBeyondTheBodyIsRejected() {
    byte[] body = appendEntriesHead().varint(1).u8(1).varint(4).varint(2).varint(50)
        .bytes(new byte[10]).toBytes();
    assertRejected(RawBytes.frame(APPEND_ENTRIES, body),
        "payload length 50 exceeds the 10 bytes that remain");
  }

  @Test
  void emptyNodeIdIsRejected() {
    byte[] body = RawBytes.start().varint(1).varint(0).varint(2).toBytes();
    assertRejected(RawBytes.frame(TIMEOUT_NOW, body), "offset " + (BODY + 1), "from is empty");
  }

  @Test
  void nodeIdLongerThanTheMaximumIsRejected() {
    byte[] body = RawBytes.start().varint(1).nodeId("x".repeat(NodeId.MAX_LENGTH + 1)).varint(2)
        .toBytes();
    assertRejected(RawBytes.frame(TIMEOUT_NOW, body), "from length 65 is outside 0..64");
  }

  @Test
  void nodeIdWithAnIllegalCharacterIsRejected() {
    byte[] body = RawBytes.start().varint(1).nodeId("a/b").varint(2).toBytes();
    assertRejected(RawBytes.frame(TIMEOUT_NOW, body), "invalid from", "illegal character '/'");
  }

  @Test
  void nodeIdThatIsNotUtf8IsRejected() {
    byte[] body = RawBytes.start().varint(1).varint(2).u8(0xC3).u8(0x28).varint(2).toBytes();
    assertRejected(RawBytes.frame(TIMEOUT_NOW, body), "invalid from");
  }

  @Test
  void varintLongerThanSixtyFourBitsIsRejected() {
    byte[] body = RawBytes.start().bytes(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, 0x7F})
        .toBytes();
    assertRejected(RawBytes.frame(TIMEOUT_NOW, body), "offset " + BODY,
        "groupId (varint) overflows 64 bits");
  }

  @Test
  void varintRunningPastTheBodyIsTruncated() {
    byte[] body = RawBytes.start().u8(0x80).toBytes();
    assertRejected(RawBytes.frame(TIMEOUT_NOW, body), "truncated: groupId (varint)");
  }

  @Test
  void varintNotInItsShortestFormIsRejected() {
    byte[] body = RawBytes.start().u8(0x81).u8(0x00).nodeId("n1").varint(2).toBytes();
    assertRejected(RawBytes.frame(TIMEOUT_NOW, body), "groupId (varint) is not in its shortest form");
  }

  @Test
  void unknownFlagBitsAreRejected() {
    byte[] body = RawBytes.start().commonFields(1, "n1", 2).varint(3).varint(1).u8(0x04)
        .toBytes();
    assertRejected(RawBytes.frame(REQUEST_VOTE, body), "RequestVote flags 0x04 has unknown bits");
  }

  /** An InstallSnapshot body up to (not including) the data length. */
  private static RawBytes installSnapshotHead() {
    return RawBytes.start().commonFields(1, "n1", 2).varint(100).varint(2).varint(4096).u8(0);
  }

  @Test
  void snapshotDataLengthBeyondTheBodyIsRejected() {
    byte[] body = installSnapshotHead().varint(50).bytes(new byte[10]).toBytes();
    assertRejected(RawBytes.frame(INSTALL_SNAPSHOT, body),
        "snapshot data length 50 exceeds the 10 bytes that remain");
  }

  @Test
  void snapshotDataLengthAboveTheFrameLimitIsRejectedWithoutAllocating() {
    byte[] body = installSnapshotHead().varint(1L << 40).toBytes();
    assertRejected(RawBytes.frame(INSTALL_SNAPSHOT, body),
        "snapshot data length 1099511627776 is outside 0.." + MessageCodec.MAX_BODY_BYTES);
  }

  @Test
  void negativeSnapshotDataLengthIsRejected() {
    byte[] body = installSnapshotHead().varint(-1).toBytes();
    assertRejected(RawBytes.frame(INSTALL_SNAPSHOT, body), "snapshot data length -1 is outside");
  }

  @Test
  void bytesAfterTheSnapshotDataAreRejected() {
    byte[] body = installSnapshotHead().varint(2).bytes(new byte[] {1, 2, 3}).toBytes();
    assertRejected(RawBytes.frame(INSTALL_SNAPSHOT, body),
        "1 unread bytes at the end of the InstallSnapshot body");
  }

  @Test
  void unknownInstallSnapshotFlagBitsAreRejected() {
    byte[] body = RawBytes.start().commonFields(1, "n1", 2).varint(100).varint(2).varint(0)
        .u8(0x02).varint(0).toBytes();
    assertRejected(RawBytes.frame(INSTALL_SNAPSHOT, body),
        "InstallSnapshot flags 0x02 has unknown bits (known: 0x01)");
  }

  @Test
  void unknownInstallSnapshotResponseFlagBitsAreRejected() {
    byte[] body = RawBytes.start().commonFields(1, "n1", 2).varint(100).varint(4096).u8(0x81)
        .toBytes();
    assertRejected(RawBytes.frame(INSTALL_SNAPSHOT_RESPONSE, body),
        "InstallSnapshotResponse flags 0x81 has unknown bits");
  }

  @Test
  void truncatedInstallSnapshotResponseIsRejected() {
    byte[] body = RawBytes.start().commonFields(1, "n1", 2).varint(100).varint(4096).toBytes();
    assertRejected(RawBytes.frame(INSTALL_SNAPSHOT_RESPONSE, body), "truncated",
        "InstallSnapshotResponse flags");
  }

  @Test
  void aCraftedSnapshotChunkDecodesToTheSameFields() {
    // The crafted layout agrees with the codec, so the snapshot rejections above are meaningful.
    byte[] body = installSnapshotHead().varint(3).bytes(new byte[] {7, 8, 9}).toBytes();
    assertEquals(new InstallSnapshot(1, NodeId.of("n1"), 2, 100, 2, 4096, new byte[] {7, 8, 9},
        false), MessageCodec.decode(RawBytes.frame(INSTALL_SNAPSHOT, body)));
    byte[] answer = RawBytes.start().commonFields(1, "n1", 2).varint(100).varint(4099).u8(1)
        .toBytes();
    assertEquals(new InstallSnapshotResponse(1, NodeId.of("n1"), 2, 100, 4099, true),
        MessageCodec.decode(RawBytes.frame(INSTALL_SNAPSHOT_RESPONSE, answer)));
  }

  @Test
  void encodingASnapshotChunkAboveTheFrameLimitIsRefused() {
    InstallSnapshot tooBig = new InstallSnapshot(1, NodeId.of("n1"), 1, 10, 1, 0,
        new byte[MessageCodec.MAX_BODY_BYTES], true);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(tooBig));
    assertTrue(e.getMessage().contains("InstallSnapshot"), e.getMessage());
  }

  @Test
  void logRecordGivenAsAMessageIsRejected() {
    byte[] record = LogEntryCodec.encode(LogEntry.command(1, 1, new byte[] {1}));
    assertRejected(record, "unknown format/version byte 0xe1");
  }

  @Test
  void encodingAFrameAboveTheLimitIsRefused() {
    byte[] oneMebibyte = new byte[1 << 20];
    List<LogEntry> entries = new java.util.ArrayList<>();
    for (int i = 1; i <= 65; i++) {
      entries.add(LogEntry.command(i, 1, oneMebibyte)); // one shared array: no 65 MiB needed
    }
    AppendEntries tooBig = new AppendEntries(1, NodeId.of("n1"), 1, 0, 0, 0, 0, entries);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(tooBig));
    assertTrue(e.getMessage().contains("more than the limit of " + MessageCodec.MAX_FRAME_BYTES));
  }

  @Test
  void aFrameOfExactlyTheBodyItStatesDecodes() {
    // The crafted-frame helper agrees with the codec, so the rejections above are meaningful.
    byte[] body = appendEntriesHead().varint(1).entry(1, 4, 2, new byte[] {5}).toBytes();
    RaftMessage decoded = MessageCodec.decode(RawBytes.frame(APPEND_ENTRIES, body));
    assertEquals(new AppendEntries(1, NodeId.of("n1"), 2, 3, 1, 3, 4,
        Collections.singletonList(LogEntry.command(4, 2, new byte[] {5}))), decoded);
  }
}
