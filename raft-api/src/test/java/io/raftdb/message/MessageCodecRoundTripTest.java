package io.raftdb.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.raftdb.NodeId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecRoundTripTest {
  private static final NodeId SHORT_ID = NodeId.of("a");
  private static final NodeId LONGEST_ID = NodeId.of("n".repeat(NodeId.MAX_LENGTH - 6) + "-_.9Z0");
  private static final long MAX = Long.MAX_VALUE;

  static Stream<RaftMessage> edgeMessages() {
    return Stream.of(
        new RequestVote(0, SHORT_ID, 0, 0, 0, false, false),
        new RequestVote(MAX, LONGEST_ID, MAX, MAX, MAX, true, true),
        new RequestVote(-1, LONGEST_ID, MAX, 0, MAX, true, false),
        new RequestVote(7, SHORT_ID, 3, 10, 2, false, true),
        new RequestVoteResponse(0, SHORT_ID, 0, false, false),
        new RequestVoteResponse(MAX, LONGEST_ID, MAX, true, true),
        new RequestVoteResponse(1, SHORT_ID, 5, true, false),
        new RequestVoteResponse(1, SHORT_ID, 5, false, true),
        new AppendEntries(0, SHORT_ID, 0, 0, 0, 0, 0, List.of()),
        new AppendEntries(MAX, LONGEST_ID, MAX, MAX, MAX, MAX, MAX, List.of()),
        new AppendEntries(1, SHORT_ID, 2, 0, 0, 0, 1, List.of(LogEntry.noOp(1, 2))),
        new AppendEntries(1, SHORT_ID, 2, 4, 1, 3, 9, List.of(
            LogEntry.command(5, 2, new byte[0]),
            LogEntry.command(6, 2, new byte[] {0, -1, 127, -128}),
            LogEntry.noOp(7, 2),
            LogEntry.command(8, 2, new byte[300]))),
        new AppendEntries(-1, SHORT_ID, MAX, MAX - 2, MAX - 1, MAX, MAX, List.of(
            LogEntry.noOp(MAX - 1, MAX - 1),
            LogEntry.command(MAX, MAX, new byte[] {1}))),
        new AppendEntriesResponse(0, SHORT_ID, 0, false, 0, 0, 0, 0),
        new AppendEntriesResponse(MAX, LONGEST_ID, MAX, true, MAX, MAX, MAX, MAX),
        new AppendEntriesResponse(-5, SHORT_ID, 1, true, 0, 0, 0, 0),
        new TimeoutNow(0, SHORT_ID, 0),
        new TimeoutNow(MAX, LONGEST_ID, MAX),
        new InstallSnapshot(0, SHORT_ID, 1, 1, 1, 0, new byte[0], false),
        new InstallSnapshot(MAX, LONGEST_ID, MAX, MAX, MAX, MAX - 3, new byte[] {-128, 0, 127},
            true),
        new InstallSnapshot(-1, SHORT_ID, 7, 1, 7, MAX - 1, new byte[1], false),
        new InstallSnapshot(1, SHORT_ID, 4, 1_000, 3, 65_536, new byte[16_384], true),
        new InstallSnapshotResponse(0, SHORT_ID, 0, 0, 0, false),
        new InstallSnapshotResponse(MAX, LONGEST_ID, MAX, MAX, MAX, true),
        new InstallSnapshotResponse(-1, SHORT_ID, 0, 0, MAX, false));
  }

  @ParameterizedTest
  @MethodSource("edgeMessages")
  void everyMessageTypeRoundTripsWithEdgeValues(RaftMessage message) {
    byte[] frame = MessageCodec.encode(message);

    RaftMessage decoded = MessageCodec.decode(frame);

    assertEquals(message, decoded);
    assertArrayEquals(frame, MessageCodec.encode(decoded), "re-encoding gives the same bytes");
  }

  @ParameterizedTest
  @MethodSource("edgeMessages")
  void frameStartsWithFormatAndTypeAndStatesItsBodyLength(RaftMessage message) {
    byte[] frame = MessageCodec.encode(message);

    assertEquals(MessageCodec.FORMAT, frame[0]);
    assertEquals(MessageBodies.typeOf(message), frame[1]);
    int bodyLength = ByteBuffer.wrap(frame, 2, 4).getInt();
    assertEquals(frame.length, MessageCodec.HEADER_BYTES + bodyLength + Checksums.CRC_BYTES);
  }

  /**
   * Decoded ids are shared from a small cache: many senders whose names share its slots, in
   * direct and heap buffers, each still decode as themselves, and the same name twice as one
   * object.
   */
  @Test
  void manySendersEachDecodeAsThemselves() {
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 500; i++) {
        NodeId from = NodeId.of("node-" + i);
        byte[] wire = MessageCodec.encode(new RequestVote(1, from, 5, 100, 4, true, false));
        ByteBuffer direct = ByteBuffer.allocateDirect(wire.length).put(wire).flip();
        assertEquals(from, MessageCodec.decode(wire).from());
        assertEquals(from, MessageCodec.decode(direct).from());
      }
    }
    byte[] wire = MessageCodec.encode(new RequestVote(1, NodeId.of("n1"), 5, 100, 4, true, false));
    assertSame(MessageCodec.decode(wire).from(), MessageCodec.decode(wire).from());
  }

  @Test
  void byteBufferDecodeConsumesExactlyOneFrameFromAStream() {
    List<RaftMessage> messages = edgeMessages().toList();
    ByteBuffer stream = ByteBuffer.allocate(64 * 1024);
    stream.put(new byte[] {42, 43, 44}); // bytes before the first frame are not ours
    for (RaftMessage m : messages) {
      stream.put(MessageCodec.encode(m));
    }
    stream.put((byte) 99);
    stream.flip().position(3);

    for (RaftMessage expected : messages) {
      int before = stream.position();
      assertEquals(expected, MessageCodec.decode(stream));
      assertEquals(before + MessageCodec.encode(expected).length, stream.position());
    }
    assertEquals(1, stream.remaining(), "the byte after the last frame is left unread");
  }

  @Test
  void decodesFromDirectReadOnlyAndLittleEndianBuffers() {
    RaftMessage message = new AppendEntries(3, LONGEST_ID, 9, 10, 8, 7, 6,
        List.of(LogEntry.command(11, 9, new byte[] {1, 2, 3})));
    byte[] frame = MessageCodec.encode(message);

    ByteBuffer direct = ByteBuffer.allocateDirect(frame.length).put(frame).flip();
    ByteBuffer readOnly = ByteBuffer.wrap(frame).asReadOnlyBuffer();
    ByteBuffer littleEndian = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);

    assertEquals(message, MessageCodec.decode(direct));
    assertEquals(message, MessageCodec.decode(readOnly));
    assertEquals(message, MessageCodec.decode(littleEndian));
    assertFalse(direct.hasRemaining() || readOnly.hasRemaining() || littleEndian.hasRemaining());
  }

  @Test
  void snapshotChunksKeepTheirDataAndDoneFlag() {
    byte[] data = {9, 8, 7, 6};
    InstallSnapshot chunk = new InstallSnapshot(2, SHORT_ID, 5, 40, 4, 1024, data, true);

    InstallSnapshot decoded = (InstallSnapshot) MessageCodec.decode(MessageCodec.encode(chunk));

    assertArrayEquals(data, decoded.data());
    assertEquals(1024, decoded.offset());
    assertEquals(40, decoded.snapshotIndex());
    assertEquals(4, decoded.snapshotTerm());
    assertEquals(true, decoded.done());
    InstallSnapshotResponse answer = (InstallSnapshotResponse) MessageCodec.decode(
        MessageCodec.encode(new InstallSnapshotResponse(2, SHORT_ID, 5, 40, 1028, false)));
    assertEquals(1028, answer.nextOffset());
    assertFalse(answer.done());
  }

  @Test
  void decodesAFrameThatStartsInsideASlicedArray() {
    RaftMessage message = new TimeoutNow(1, SHORT_ID, 2);
    byte[] frame = MessageCodec.encode(message);
    byte[] padded = new byte[frame.length + 10];
    System.arraycopy(frame, 0, padded, 5, frame.length);
    ByteBuffer slice = ByteBuffer.wrap(padded, 5, frame.length).slice();

    assertEquals(message, MessageCodec.decode(slice));
  }
}
