package io.raftdb.core.storage.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.message.MembershipCodec;
import io.raftdb.storage.SnapshotInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class SnapshotFormatTest {
  private static final Membership MEMBERS = Membership.ofVoters(
      List.of(NodeId.of("n1"), NodeId.of("node-2"), NodeId.of("x".repeat(NodeId.MAX_LENGTH))))
      .withLearner(NodeId.of("n4"), true).withLearner(NodeId.of("n5"), false);

  /** A stored snapshot built the way the stores build one. */
  static byte[] encode(long index, long term, Membership members, byte[] state) {
    byte[] header = SnapshotFormat.header(index, term, members, state.length);
    CRC32C stateCrc = new CRC32C();
    stateCrc.update(state);
    byte[] trailer = SnapshotFormat.trailer(
        SnapshotFormat.checksum(header, (int) stateCrc.getValue(), state.length));
    return ByteBuffer.allocate(header.length + state.length + trailer.length).put(header)
        .put(state).put(trailer).array();
  }

  private static SnapshotLayout verify(byte[] bytes) throws IOException {
    return SnapshotFormat.verify(new ByteArrayInputStream(bytes), bytes.length, "test snapshot");
  }

  private static void assertCorrupt(byte[] bytes, String... expectedParts) {
    CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class, () -> verify(bytes));
    assertTrue(e.getMessage().startsWith("test snapshot is corrupt: "), e.getMessage());
    for (String part : expectedParts) {
      assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
  }

  /** Bytes with a correct trailer, for reaching the checks behind the checksum. */
  private static byte[] withChecksum(ByteBuffer body) {
    byte[] bytes = Arrays.copyOf(body.array(), body.position() + SnapshotFormat.CRC_BYTES);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, body.position());
    ByteBuffer.wrap(bytes).putInt(body.position(), (int) crc.getValue());
    return bytes;
  }

  @Test
  void aSnapshotVerifiesToItsFieldsAndStateRange() throws IOException {
    byte[] state = new byte[1000];
    new Random(3).nextBytes(state);
    byte[] bytes = encode(42, 7, MEMBERS, state);

    SnapshotLayout layout = verify(bytes);

    assertEquals(new SnapshotInfo(42, 7, MEMBERS, bytes.length), layout.info());
    assertEquals(SnapshotFormat.headerSize(42, 7, MEMBERS), layout.stateOffset());
    assertEquals(state.length, layout.stateLength());
    assertArrayEquals(state, Arrays.copyOfRange(bytes, (int) layout.stateOffset(),
        (int) (layout.stateOffset() + layout.stateLength())));
  }

  @Test
  void theSmallestSnapshotHasNoMembersAndNoState() throws IOException {
    byte[] bytes = encode(1, 1, Membership.NONE, new byte[0]);

    assertEquals(SnapshotFormat.FIXED_HEADER_BYTES + MembershipCodec.encode(Membership.NONE).length
        + SnapshotFormat.CRC_BYTES, bytes.length);
    assertTrue(bytes.length >= SnapshotFormat.MIN_BYTES);
    assertEquals(Membership.NONE, verify(bytes).info().membership());
  }

  @Test
  void aVersion1SnapshotReadsAsItsVotersAlone() throws IOException {
    ByteBuffer body = ByteBuffer.allocate(64).putInt(SnapshotFormat.MAGIC).put((byte) 1)
        .putLong(3).putLong(2).putShort((short) 2)
        .put((byte) 2).put((byte) 'n').put((byte) '1')
        .put((byte) 2).put((byte) 'n').put((byte) '2')
        .putLong(1).put((byte) 7);
    SnapshotLayout layout = verify(withChecksum(body));

    assertEquals(Membership.ofVoters(List.of(NodeId.of("n1"), NodeId.of("n2"))),
        layout.info().membership());
    assertEquals(3, layout.info().index());
    assertEquals(1, layout.stateLength());
  }

  @Test
  void aMalformedMembershipIsCorruption() {
    byte[] members = MembershipCodec.encode(MEMBERS);
    members[0] = 9; // an unknown membership version
    ByteBuffer body = ByteBuffer.allocate(512).putInt(SnapshotFormat.MAGIC).put((byte) 2)
        .putLong(3).putLong(2).putInt(members.length).put(members).putLong(0);
    assertCorrupt(withChecksum(body), "bad membership");
  }

  @Test
  void theLayoutIsTheDocumentedOne() {
    Membership ab = Membership.ofVoters(List.of(NodeId.of("ab")));
    byte[] bytes = encode(0x0102030405060708L, 9, ab, new byte[] {5, 6});
    ByteBuffer in = ByteBuffer.wrap(bytes);

    assertEquals(0x52444253, in.getInt(), "magic RDBS");
    assertEquals(2, in.get(), "version");
    assertEquals(0x0102030405060708L, in.getLong());
    assertEquals(9, in.getLong());
    byte[] members = MembershipCodec.encode(ab);
    assertEquals(members.length, in.getInt(), "membership length");
    byte[] stored = new byte[members.length];
    in.get(stored);
    assertArrayEquals(members, stored);
    assertEquals(2, in.getLong(), "state length");
    assertEquals(5, in.get());
    assertEquals(6, in.get());
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    assertEquals((int) crc.getValue(), in.getInt(), "CRC32C of everything before it");
    assertEquals(0, in.remaining());
  }

  @Test
  void everyTruncationIsRejected() {
    byte[] bytes = encode(5, 2, MEMBERS, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    for (int length = 0; length < bytes.length; length++) {
      byte[] truncated = Arrays.copyOf(bytes, length);
      assertThrows(CorruptSnapshotException.class, () -> verify(truncated), "length " + length);
    }
  }

  @Test
  void aStreamShorterThanItsStatedSizeIsRejected() {
    byte[] bytes = encode(5, 2, MEMBERS, new byte[100]);
    byte[] shorter = Arrays.copyOf(bytes, bytes.length - 10);
    CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class,
        () -> SnapshotFormat.verify(new ByteArrayInputStream(shorter), bytes.length, "s"));
    assertTrue(e.getMessage().contains("shorter than its stated size"), e.getMessage());
  }

  @Test
  void everySingleBitFlipIsRejected() {
    byte[] bytes = encode(5, 2, MEMBERS, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    for (int bit = 0; bit < bytes.length * 8; bit++) {
      byte[] damaged = bytes.clone();
      damaged[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThrows(CorruptSnapshotException.class, () -> verify(damaged), "bit " + bit);
    }
  }

  @Test
  void aFlippedBitIsReportedAsAChecksumMismatch() {
    byte[] bytes = encode(5, 2, MEMBERS, new byte[50]);
    bytes[1] ^= 0x10; // inside the magic: still a checksum problem first, not "not a snapshot"
    assertCorrupt(bytes, "checksum mismatch", "torn or damaged");
  }

  @Test
  void wrongMagicBehindAValidChecksumIsRejected() {
    ByteBuffer body = ByteBuffer.allocate(64).putInt(0x52444D42).put((byte) 1).putLong(1)
        .putLong(1).putShort((short) 0).putLong(0);
    assertCorrupt(withChecksum(body), "not a RaftDB snapshot");
  }

  @Test
  void unknownVersionBehindAValidChecksumIsRejected() {
    ByteBuffer body = ByteBuffer.allocate(64).putInt(SnapshotFormat.MAGIC).put((byte) 3)
        .putLong(1).putLong(1).putShort((short) 0).putLong(0);
    assertCorrupt(withChecksum(body), "unknown format version 3");
  }

  @Test
  void indexZeroBehindAValidChecksumIsRejected() {
    ByteBuffer body = ByteBuffer.allocate(64).putInt(SnapshotFormat.MAGIC).put((byte) 1)
        .putLong(0).putLong(1).putShort((short) 0).putLong(0);
    assertCorrupt(withChecksum(body), "index and term must be at least 1, got 0@1");
  }

  @Test
  void aStateLengthThatDisagreesWithTheSizeIsRejected() {
    ByteBuffer body = ByteBuffer.allocate(64).putInt(SnapshotFormat.MAGIC).put((byte) 1)
        .putLong(3).putLong(1).putShort((short) 0).putLong(5).put(new byte[4]);
    assertCorrupt(withChecksum(body), "state length 5 does not match the size");
  }

  @Test
  void aHugeStateLengthIsRejectedWithoutAllocating() {
    ByteBuffer body = ByteBuffer.allocate(64).putInt(SnapshotFormat.MAGIC).put((byte) 1)
        .putLong(3).putLong(1).putShort((short) 0).putLong(Long.MAX_VALUE);
    assertCorrupt(withChecksum(body), "state length " + Long.MAX_VALUE + " does not match");
  }

  @Test
  void aMemberCountAboveTheLimitIsRejected() {
    ByteBuffer body = ByteBuffer.allocate(64).putInt(SnapshotFormat.MAGIC).put((byte) 1)
        .putLong(3).putLong(1).putShort((short) 0xFFFF).putLong(0);
    assertCorrupt(withChecksum(body), "member count 65535 is above " + SnapshotFormat.MAX_MEMBERS);
  }

  @Test
  void aMemberListRunningPastTheHeaderIsRejected() {
    ByteBuffer body = ByteBuffer.allocate(64).putInt(SnapshotFormat.MAGIC).put((byte) 1)
        .putLong(3).putLong(1).putShort((short) 3).put((byte) 60).put(new byte[8]);
    assertCorrupt(withChecksum(body), "runs past the header");
  }

  @Test
  void anInvalidMemberIdIsRejected() {
    ByteBuffer body = ByteBuffer.allocate(64).putInt(SnapshotFormat.MAGIC).put((byte) 1)
        .putLong(3).putLong(1).putShort((short) 1).put((byte) 3).put(new byte[] {'a', '/', 'b'})
        .putLong(0);
    assertCorrupt(withChecksum(body), "member 0 is not a valid node id");
  }

  @Test
  void anEmptyMemberIdIsRejected() {
    ByteBuffer body = ByteBuffer.allocate(64).putInt(SnapshotFormat.MAGIC).put((byte) 1)
        .putLong(3).putLong(1).putShort((short) 1).put((byte) 0).putLong(0);
    assertCorrupt(withChecksum(body), "member 0 is not a valid node id");
  }

  @Test
  void theMostMembersThatFitRoundTrip() throws IOException {
    List<NodeId> ids = new ArrayList<>();
    for (int i = 0; i < MembershipCodec.MAX_MEMBERS; i++) {
      ids.add(NodeId.of(("m" + i + "-").repeat(40).substring(0, NodeId.MAX_LENGTH)));
    }
    Membership many = Membership.ofVoters(ids);
    byte[] bytes = encode(9, 9, many, new byte[] {1});

    assertTrue(SnapshotFormat.headerSize(9, 9, many) <= SnapshotFormat.MAX_HEADER_BYTES);
    assertEquals(many, verify(bytes).info().membership());
  }

  @Test
  void headerRefusesWhatTheFormatCannotHold() {
    assertThrows(IllegalArgumentException.class, () -> SnapshotFormat.header(0, 1, MEMBERS, 0));
    assertThrows(IllegalArgumentException.class, () -> SnapshotFormat.header(1, 0, MEMBERS, 0));
    assertThrows(IllegalArgumentException.class, () -> SnapshotFormat.header(1, 1, MEMBERS, -1));
    List<NodeId> ids = new ArrayList<>();
    for (int i = 0; i <= MembershipCodec.MAX_MEMBERS; i++) {
      ids.add(NodeId.of("m" + i));
    }
    Membership tooMany = Membership.ofVoters(ids);
    assertThrows(IllegalArgumentException.class, () -> SnapshotFormat.header(1, 1, tooMany, 0));
  }
}
