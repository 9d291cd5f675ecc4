package io.raftdb.core.storage.snapshot;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.message.CodecException;
import io.raftdb.message.MembershipCodec;
import io.raftdb.storage.SnapshotInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The bytes of a stored snapshot, the same on disk, in memory and on the wire (big-endian):
 * <pre>
 * magic         4  "RDBS"
 * version       1  2
 * index         8  the last log index the snapshot covers, at least 1
 * term          8  the term of that entry, at least 1
 * membership    4  its length, 0 .. MAX_MEMBERSHIP_BYTES
 *                  the group's membership at the index ({@link MembershipCodec})
 * state length  8  the number of state bytes that follow
 * state            the state machine's bytes
 * CRC32C        4  over every byte before it
 * </pre>
 * Version 1, still read, had a two-byte member count and per member its id's length (one byte)
 * and ASCII bytes in place of the membership: the voters of a group without learners.
 *
 * <p>The header's size depends only on the membership, so a writer can stream the state first, after a
 * gap for the header, and fill the header in once it knows the state's length (see
 * {@link #checksum}). A reader finds the trailer from the total size and checks the checksum
 * before it believes any field, so damage anywhere reads as corruption, never as a strange field.
 *
 * <p>The one encoder and decoder of the format, shared by every {@code SnapshotStorage}. Stateless
 * and thread-safe.
 */
final class SnapshotFormat {
  static final int MAGIC = 0x52444253; // "RDBS"
  static final byte VERSION = 2;
  static final byte VERSION_1 = 1;
  /** Version 1's bound on its member list. */
  static final int MAX_MEMBERS = 1024;
  /** Far beyond any Raft group's; it bounds the header a reader must hold in memory. */
  static final int MAX_MEMBERSHIP_BYTES = 128 * 1024;
  static final int CRC_BYTES = 4;
  /** Magic, version, index, term, membership length and state length. */
  static final int FIXED_HEADER_BYTES = 4 + 1 + 8 + 8 + 4 + 8;
  static final int MAX_HEADER_BYTES = FIXED_HEADER_BYTES + MAX_MEMBERSHIP_BYTES;
  /** The smallest snapshot of either version: no members and no state. */
  static final int MIN_BYTES = FIXED_HEADER_BYTES - 2 + CRC_BYTES;

  private static final int READ_BUFFER_BYTES = 64 * 1024;

  private SnapshotFormat() {}

  /**
   * The header's size for this membership; also validates what the header will hold.
   *
   * @throws IllegalArgumentException if the index or term is below 1 or the membership is too
   *     large
   */
  static int headerSize(long index, long term, Membership membership) {
    return FIXED_HEADER_BYTES + membershipBytes(index, term, membership).length;
  }

  private static byte[] membershipBytes(long index, long term, Membership membership) {
    Objects.requireNonNull(membership, "membership");
    if (index < 1 || term < 1) {
      throw new IllegalArgumentException("a snapshot needs index and term of at least 1, got "
          + index + "@" + term);
    }
    byte[] bytes = MembershipCodec.encode(membership);
    if (bytes.length > MAX_MEMBERSHIP_BYTES) {
      throw new IllegalArgumentException("a membership of " + bytes.length + " bytes, at most "
          + MAX_MEMBERSHIP_BYTES + " fit in a snapshot");
    }
    return bytes;
  }

  /** The header of a snapshot whose state is {@code stateLength} bytes. */
  static byte[] header(long index, long term, Membership membership, long stateLength) {
    if (stateLength < 0) {
      throw new IllegalArgumentException("negative state length " + stateLength);
    }
    byte[] members = membershipBytes(index, term, membership);
    ByteBuffer out = ByteBuffer.allocate(FIXED_HEADER_BYTES + members.length);
    out.putInt(MAGIC).put(VERSION).putLong(index).putLong(term).putInt(members.length)
        .put(members).putLong(stateLength);
    return out.array();
  }

  /**
   * The trailer's checksum: the CRC32C of {@code header} followed by the state, given the state's
   * own CRC32C and length.
   */
  static int checksum(byte[] header, int stateCrc, long stateLength) {
    CRC32C crc = new CRC32C();
    crc.update(header);
    return Crc32c.combine((int) crc.getValue(), stateCrc, stateLength);
  }

  /** The four trailer bytes holding {@code checksum}. */
  static byte[] trailer(int checksum) {
    return ByteBuffer.allocate(CRC_BYTES).putInt(checksum).array();
  }

  /** The size of a whole stored snapshot. */
  static long totalSize(int headerSize, long stateLength) {
    return headerSize + stateLength + CRC_BYTES;
  }

  /**
   * Reads a whole stored snapshot of {@code totalSize} bytes from {@code in} (which the caller
   * closes), checks its checksum, then its header, and returns its layout. Memory use is bounded
   * by {@link #MAX_HEADER_BYTES} plus a read buffer, whatever the size.
   *
   * @param what names the snapshot in error messages ("snapshot file /x/snapshot-9-2.snap")
   * @throws CorruptSnapshotException if the bytes are not a valid snapshot
   * @throws IOException if {@code in} fails
   */
  static SnapshotLayout verify(InputStream in, long totalSize, String what) throws IOException {
    if (totalSize < MIN_BYTES) {
      throw corrupt(what, "only " + totalSize + " bytes, at least " + MIN_BYTES
          + " expected (torn or truncated)");
    }
    long checkedLength = totalSize - CRC_BYTES;
    CRC32C crc = new CRC32C();
    byte[] head = new byte[(int) Math.min(checkedLength, MAX_HEADER_BYTES)];
    readFully(in, head, head.length, what, totalSize);
    crc.update(head);
    byte[] buffer = new byte[READ_BUFFER_BYTES];
    for (long left = checkedLength - head.length; left > 0; ) {
      int n = in.read(buffer, 0, (int) Math.min(left, buffer.length));
      if (n < 0) {
        throw corrupt(what, "ends " + left + " bytes before its checksum (truncated)");
      }
      crc.update(buffer, 0, n);
      left -= n;
    }
    readFully(in, buffer, CRC_BYTES, what, totalSize);
    int stored = ByteBuffer.wrap(buffer, 0, CRC_BYTES).getInt();
    int actual = (int) crc.getValue();
    if (stored != actual) {
      throw corrupt(what, String.format(
          "checksum mismatch (stored 0x%08x, computed 0x%08x): torn or damaged", stored, actual));
    }
    return parseHeader(ByteBuffer.wrap(head), checkedLength, totalSize, what);
  }

  /** Reads the header from bytes whose checksum matched, and checks it against the size. */
  private static SnapshotLayout parseHeader(ByteBuffer in, long checkedLength, long totalSize,
      String what) {
    // The checksum matched, so a bad field here is a writer of another format, not damage.
    int magic = in.getInt();
    if (magic != MAGIC) {
      throw corrupt(what, String.format("not a RaftDB snapshot (magic 0x%08x)", magic));
    }
    byte version = in.get();
    if (version != VERSION && version != VERSION_1) {
      throw corrupt(what, "unknown format version " + version + " (expected " + VERSION + ")");
    }
    long index = in.getLong();
    long term = in.getLong();
    if (index < 1 || term < 1) {
      throw corrupt(what, "index and term must be at least 1, got " + index + "@" + term);
    }
    Membership membership = version == VERSION ? parseMembership(in, what)
        : Membership.ofVoters(parseVersion1Members(in, what));
    if (in.remaining() < Long.BYTES) {
      throw corrupt(what, "the header ends before the state length");
    }
    long stateLength = in.getLong();
    long stateOffset = in.position();
    if (stateLength != checkedLength - stateOffset) {
      throw corrupt(what, "state length " + stateLength + " does not match the size "
          + totalSize + " (a header of " + stateOffset + " bytes leaves "
          + (checkedLength - stateOffset) + " state bytes)");
    }
    SnapshotInfo info = new SnapshotInfo(index, term, membership, totalSize);
    return new SnapshotLayout(info, stateOffset, stateLength);
  }

  private static Membership parseMembership(ByteBuffer in, String what) {
    if (in.remaining() < Integer.BYTES) {
      throw corrupt(what, "the header ends before the membership");
    }
    int length = in.getInt();
    if (length < 0 || length > MAX_MEMBERSHIP_BYTES || length > in.remaining() - Long.BYTES) {
      throw corrupt(what, "membership length " + length + " runs past the header");
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    try {
      return MembershipCodec.decode(bytes);
    } catch (CodecException e) {
      throw corrupt(what, "bad membership: " + e.getMessage());
    }
  }

  private static List<NodeId> parseVersion1Members(ByteBuffer in, String what) {
    if (in.remaining() < 2) {
      throw corrupt(what, "the header ends before the member count");
    }
    int count = in.getShort() & 0xFFFF;
    if (count > MAX_MEMBERS) {
      throw corrupt(what, "member count " + count + " is above " + MAX_MEMBERS);
    }
    List<NodeId> members = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (in.remaining() < 1 + Long.BYTES) {
        throw corrupt(what, "the member list runs past the header");
      }
      int length = in.get() & 0xFF;
      if (in.remaining() < length + Long.BYTES) {
        throw corrupt(what, "member " + i + " (" + length + " bytes) runs past the header");
      }
      byte[] id = new byte[length];
      in.get(id);
      try {
        members.add(NodeId.of(new String(id, StandardCharsets.US_ASCII)));
      } catch (IllegalArgumentException e) {
        throw corrupt(what, "member " + i + " is not a valid node id: " + e.getMessage());
      }
    }
    return members;
  }

  private static void readFully(InputStream in, byte[] into, int length, String what,
      long totalSize) throws IOException {
    if (in.readNBytes(into, 0, length) < length) {
      throw corrupt(what, "shorter than its stated size of " + totalSize + " bytes");
    }
  }

  private static CorruptSnapshotException corrupt(String what, String problem) {
    return new CorruptSnapshotException(what + " is corrupt: " + problem);
  }
}
