package io.raftdb.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire stays compact: the labs count bytes, and every message crosses the hot path. */
class MessageCodecSizeTest {
  private static final NodeId LEADER = NodeId.of("node-1");
  private static final int PAYLOAD = 5_000;

  private static List<LogEntry> entries(long firstIndex, int count) {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      entries.add(LogEntry.command(firstIndex + i, 7, new byte[PAYLOAD]));
    }
    return entries;
  }

  private static int frameSize(List<LogEntry> entries) {
    long prev = entries.isEmpty() ? 1_000_000 : entries.get(0).index() - 1;
    return MessageCodec.encode(
        new AppendEntries(1, LEADER, 7, prev, 7, prev, 123_456, entries)).length;
  }

  @Test
  void appendEntriesWithTenFiveThousandByteEntriesStaysBelow51000Bytes() {
    int size = frameSize(entries(1_000_001, 10));

    assertTrue(size < 51_000, "frame of 10 x 5000-byte entries took " + size + " bytes");
  }

  @Test
  void eachEntryCostsItsPayloadPlusAtMostTwentyBytes() {
    int empty = frameSize(List.of());
    int withTen = frameSize(entries(1_000_001, 10));

    int overheadPerEntry = (withTen - empty - 10 * PAYLOAD) / 10;
    assertTrue(overheadPerEntry <= 20, "per-entry overhead " + overheadPerEntry + " bytes");
  }

  @Test
  void tenCommandsToTwoFollowersOneMessageEachStayWellUnder200000Bytes() {
    // The labs' byte-count scenario, at its least favourable: one AppendEntries per command.
    long total = 0;
    for (int follower = 0; follower < 2; follower++) {
      for (int command = 1; command <= 10; command++) {
        total += frameSize(entries(command, 1));
      }
    }
    assertTrue(total < 110_000, "sent " + total + " bytes");
  }

  @Test
  void heartbeatsVotesAndResponsesAreSmall() {
    int heartbeat = frameSize(List.of());
    int vote = MessageCodec.encode(new RequestVote(1, LEADER, 7, 1_000_000, 7, false, false))
        .length;
    int ack = MessageCodec.encode(
        new AppendEntriesResponse(1, LEADER, 7, true, 1_000_010, 0, 0, 123_456)).length;

    assertTrue(heartbeat <= 40, "heartbeat took " + heartbeat + " bytes");
    assertTrue(vote <= 30, "vote request took " + vote + " bytes");
    assertTrue(ack <= 35, "append response took " + ack + " bytes");
  }

  @Test
  void snapshotChunkCostsItsDataPlusAtMostFortyBytes() {
    // A chunk deep into a large snapshot of a long-lived group: big offsets, big index.
    byte[] data = new byte[1 << 20];
    int size = MessageCodec.encode(new InstallSnapshot(1, LEADER, 7, 5_000_000_000L, 7,
        40_000_000_000L, data, false)).length;
    int answer = MessageCodec.encode(
        new InstallSnapshotResponse(1, LEADER, 7, 5_000_000_000L, 40_001_048_576L, false)).length;

    assertTrue(size - data.length <= 40, "chunk overhead " + (size - data.length) + " bytes");
    assertTrue(answer <= 35, "snapshot response took " + answer + " bytes");
  }

  @Test
  void frameOverheadIsHeaderPlusChecksum() {
    TimeoutNow message = new TimeoutNow(0, NodeId.of("a"), 0);
    // groupId (1) + id length (1) + id (1) + term (1) = 4 body bytes.
    assertEquals(MessageCodec.HEADER_BYTES + 4 + Checksums.CRC_BYTES,
        MessageCodec.encode(message).length);
  }
}
