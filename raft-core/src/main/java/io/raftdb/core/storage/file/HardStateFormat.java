package io.raftdb.core.storage.file;

import io.raftdb.NodeId;
import io.raftdb.storage.HardState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The bytes of a hard-state file: magic {@code "RDBM"}, version 1, term (8), the length of the
 * voted-for id (1; 0 for none), its ASCII bytes, and a CRC32C (4) of everything before it.
 * Big-endian. Any damage, including a torn write, fails the checksum or the length checks.
 */
final class HardStateFormat {
  static final int MAGIC = 0x5244424D; // "RDBM"
  static final byte VERSION = 1;
  /** No valid file is longer; a longer one is rejected before it is read into memory. */
  static final int MAX_BYTES = 4 + 1 + 8 + 1 + NodeId.MAX_LENGTH + 4;

  private HardStateFormat() {}

  static byte[] encode(HardState state) {
    byte[] vote = state.votedFor() == null ? new byte[0]
        : state.votedFor().value().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out = ByteBuffer.allocate(4 + 1 + 8 + 1 + vote.length + 4);
    out.putInt(MAGIC).put(VERSION).putLong(state.term()).put((byte) vote.length).put(vote);
    out.putInt(crc(out.array(), out.position()));
    return out.array();
  }

  /**
   * Decodes a whole file.
   *
   * @throws IllegalArgumentException naming the problem, if the bytes are not a valid file
   */
  static HardState decode(byte[] bytes) {
    if (bytes.length < 4 + 1 + 8 + 1 + 4) {
      throw new IllegalArgumentException("only " + bytes.length + " bytes (torn or truncated)");
    }
    int end = bytes.length - 4;
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int stored = in.getInt(end);
    int actual = crc(bytes, end);
    if (stored != actual) {
      throw new IllegalArgumentException(String.format(
          "checksum mismatch (stored 0x%08x, computed 0x%08x): torn or corrupt", stored, actual));
    }
    if (in.getInt() != MAGIC || in.get() != VERSION) {
      throw new IllegalArgumentException("not a RaftDB hard-state file (magic or version)");
    }
    long term = in.getLong();
    int voteLength = in.get() & 0xFF;
    if (voteLength != end - in.position()) {
      throw new IllegalArgumentException("voted-for length " + voteLength + " does not match"
          + " the file size " + bytes.length);
    }
    byte[] vote = new byte[voteLength];
    in.get(vote);
    NodeId votedFor = voteLength == 0 ? null
        : NodeId.of(new String(vote, StandardCharsets.US_ASCII));
    return new HardState(term, votedFor);
  }

  private static int crc(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }
}
