package io.raftdb.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Frames with a valid checksum but contents that no honest member can send, whatever the
 * receiver's state, are rejected when decoded. {@link MessageCodec#encode} writes whatever it is
 * given, which is how these frames are made: the threat is a sender that does the same.
 */
class MessageCodecImpossibleContentTest {
  private static final NodeId FROM = NodeId.of("n1");
  private static final long MAX = Long.MAX_VALUE;

  private static void assertRejected(RaftMessage message, String... expectedParts) {
    byte[] frame = MessageCodec.encode(message);
    CodecException e = assertThrows(CodecException.class, () -> MessageCodec.decode(frame),
        "decoding " + message);
    for (String part : expectedParts) {
      assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
  }

  private static void assertAccepted(RaftMessage message) {
    assertEquals(message, MessageCodec.decode(MessageCodec.encode(message)));
  }

  private static AppendEntries append(long term, long prevLogIndex, LogEntry... entries) {
    return new AppendEntries(1, FROM, term, prevLogIndex, 1, 0, 0, List.of(entries));
  }

  @Test
  void negativeMessageTermIsRejected() {
    assertRejected(new TimeoutNow(1, FROM, -1), "term must not be negative, got -1");
    assertRejected(new RequestVoteResponse(1, FROM, Long.MIN_VALUE, true, false),
        "term must not be negative, got " + Long.MIN_VALUE);
  }

  @Test
  void negativeAppendEntriesFieldsAreRejected() {
    assertRejected(new AppendEntries(1, FROM, 2, 3, -1, 0, 0, List.of()),
        "prevLogTerm must not be negative, got -1");
    assertRejected(new AppendEntries(1, FROM, 2, -1, 0, 0, 0, List.of()),
        "prevLogIndex must not be negative");
    assertRejected(new AppendEntries(1, FROM, 2, 3, 1, -7, 0, List.of()),
        "leaderCommit must not be negative");
    assertRejected(new AppendEntries(1, FROM, 2, 3, 1, 0, -1, List.of()),
        "round must not be negative");
  }

  @Test
  void negativeAppendEntriesResponseFieldsAreRejected() {
    assertRejected(new AppendEntriesResponse(1, FROM, 2, true, -1, 0, 0, 0),
        "matchIndex must not be negative");
    assertRejected(new AppendEntriesResponse(1, FROM, 2, false, 5, -2, 3, 0),
        "conflictTerm must not be negative");
    assertRejected(new AppendEntriesResponse(1, FROM, 2, false, 5, 1, -3, 0),
        "conflictIndex must not be negative");
    assertRejected(new AppendEntriesResponse(1, FROM, 2, true, 5, 0, 0, -4),
        "round must not be negative");
  }

  @Test
  void negativeRequestVoteFieldsAreRejected() {
    assertRejected(new RequestVote(1, FROM, 2, -1, 1, false, false),
        "lastLogIndex must not be negative");
    assertRejected(new RequestVote(1, FROM, 2, 4, -1, true, false),
        "lastLogTerm must not be negative");
  }

  @Test
  void snapshotChunkOfIndexOrTermZeroIsRejected() {
    assertRejected(new InstallSnapshot(1, FROM, 3, 0, 2, 0, new byte[1], false),
        "snapshotIndex must be at least 1, got 0");
    assertRejected(new InstallSnapshot(1, FROM, 3, 10, 0, 0, new byte[1], false),
        "snapshotTerm must be in 1..3 (the message's term), got 0");
  }

  @Test
  void snapshotOfALaterTermThanTheMessageIsRejected() {
    assertRejected(new InstallSnapshot(1, FROM, 3, 10, 4, 0, new byte[1], false),
        "snapshotTerm must be in 1..3 (the message's term), got 4");
  }

  @Test
  void snapshotChunkWithANegativeOrOverflowingOffsetIsRejected() {
    assertRejected(new InstallSnapshot(1, FROM, 3, 10, 2, -1, new byte[1], false),
        "offset must not be negative, got -1");
    assertRejected(new InstallSnapshot(1, FROM, 3, 10, 2, MAX - 1, new byte[2], false),
        "offset " + (MAX - 1) + " + data length 2 overflows");
    assertAccepted(new InstallSnapshot(1, FROM, 3, 10, 2, MAX - 2, new byte[2], true));
  }

  @Test
  void snapshotResponseWithANegativeOffsetOrIndexIsRejected() {
    assertRejected(new InstallSnapshotResponse(1, FROM, 3, 10, -1, false),
        "nextOffset must not be negative, got -1");
    assertRejected(new InstallSnapshotResponse(1, FROM, 3, -10, 0, false),
        "snapshotIndex must not be negative");
  }

  @Test
  void entriesThatDoNotStartJustAfterPrevLogIndexAreRejected() {
    assertRejected(append(2, 4, LogEntry.noOp(6, 2)),
        "entry 0 has index 6", "so it must be 5");
    assertRejected(append(2, 4, LogEntry.noOp(4, 2)),
        "entry 0 has index 4", "so it must be 5");
  }

  @Test
  void entriesWithAGapOrARepeatAreRejected() {
    assertRejected(append(2, 4, LogEntry.noOp(5, 2), LogEntry.noOp(7, 2)),
        "entry 1 has index 7", "so it must be 6");
    assertRejected(append(2, 4, LogEntry.noOp(5, 2), LogEntry.noOp(5, 2)),
        "entry 1 has index 5", "so it must be 6");
  }

  @Test
  void entryOfALaterTermThanTheMessageIsRejected() {
    assertRejected(append(2, 4, LogEntry.noOp(5, 2), LogEntry.noOp(6, 3)),
        "entry 6 has term 3, above the message's term 2");
  }

  @Test
  void entryTermsThatDecreaseAreRejected() {
    assertRejected(append(5, 4, LogEntry.noOp(5, 3), LogEntry.noOp(6, 2)),
        "entry 6 has term 2, below the previous entry's term 3");
  }

  @Test
  void entriesWhoseLastIndexWouldOverflowAreRejected() {
    assertRejected(append(2, MAX, LogEntry.noOp(1, 2)),
        "prevLogIndex " + MAX + " + entry count 1 overflows a log index");
    assertRejected(append(2, MAX - 1, LogEntry.noOp(MAX, 2), LogEntry.noOp(1, 2)),
        "prevLogIndex " + (MAX - 1) + " + entry count 2 overflows a log index");
  }

  @Test
  void aRunThatEndsAtTheLargestIndexIsAccepted() {
    assertAccepted(append(3, MAX - 2, LogEntry.noOp(MAX - 1, 2), LogEntry.noOp(MAX, 3)));
    assertAccepted(new AppendEntries(1, FROM, MAX, MAX, MAX, MAX, MAX, List.of()));
  }
}
