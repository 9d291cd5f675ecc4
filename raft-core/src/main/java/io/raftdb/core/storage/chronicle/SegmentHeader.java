package io.raftdb.core.storage.chronicle;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The record at sequence 0 of every segment (one Chronicle cycle): which Raft index the segment's
 * first entry has, the term of the entry before it, and why the segment was started. Entry
 * {@code i} of a segment then sits at sequence {@code i - firstIndex + 1}.
 *
 * <p>Layout, 26 bytes: magic {@code "RDBS"}, version 1, reason, firstIndex (8), prevTerm (8),
 * CRC32C (4) of the bytes before it. Big-endian.
 *
 * @param firstIndex the Raft index of the segment's first entry
 * @param prevTerm the term of entry {@code firstIndex - 1} (0 for a log that starts at 1)
 * @param reason why the segment began; {@link Reason#RESET} also discards every older segment
 */
record SegmentHeader(long firstIndex, long prevTerm, Reason reason) {
  static final int MAGIC = 0x52444253; // "RDBS"
  static final byte VERSION = 1;
  static final int SIZE = 4 + 1 + 1 + 8 + 8 + 4;

  /** Why a segment was started. The code is stored on disk and must never change. */
  enum Reason {
    /** The first segment of a new log. */
    CREATE(1),
    /** The previous segment reached its size limit. */
    ROLL(2),
    /** A conflicting suffix was removed: this segment shadows older entries from firstIndex. */
    TRUNCATE(3),
    /** An installed snapshot replaced the whole log: every older segment is discarded. */
    RESET(4),
    /** First write after the log was opened (never append to a cycle Chronicle may have sealed). */
    OPEN(5);

    final byte code;

    Reason(int code) {
      this.code = (byte) code;
    }

    static Reason of(byte code) {
      for (Reason reason : values()) {
        if (reason.code == code) {
          return reason;
        }
      }
      return null;
    }
  }

  SegmentHeader {
    if (firstIndex < 1 || prevTerm < 0) {
      throw new IllegalArgumentException("bad segment header " + firstIndex + "/" + prevTerm);
    }
  }

  void writeTo(ByteBuffer out) {
    int start = out.position();
    out.putInt(MAGIC).put(VERSION).put(reason.code).putLong(firstIndex).putLong(prevTerm);
    out.putInt(crc(out, start, out.position()));
  }

  /**
   * Reads a header from exactly {@link #SIZE} bytes.
   *
   * @throws IllegalArgumentException naming what is wrong, if the bytes are not a valid header
   */
  static SegmentHeader readFrom(ByteBuffer in) {
    if (in.remaining() != SIZE) {
      throw new IllegalArgumentException("segment header has " + in.remaining()
          + " bytes, expected " + SIZE);
    }
    int start = in.position();
    int storedCrc = in.getInt(start + SIZE - 4);
    int actualCrc = crc(in, start, start + SIZE - 4);
    if (storedCrc != actualCrc) {
      throw new IllegalArgumentException("segment header checksum mismatch");
    }
    if (in.getInt() != MAGIC || in.get() != VERSION) {
      throw new IllegalArgumentException("not a RaftDB segment header (magic or version)");
    }
    Reason reason = Reason.of(in.get());
    long firstIndex = in.getLong();
    long prevTerm = in.getLong();
    in.getInt();
    if (reason == null || firstIndex < 1 || prevTerm < 0) {
      throw new IllegalArgumentException("segment header out of range: reason " + reason
          + ", first index " + firstIndex + ", previous term " + prevTerm);
    }
    return new SegmentHeader(firstIndex, prevTerm, reason);
  }

  private static int crc(ByteBuffer buf, int from, int to) {
    CRC32C crc = new CRC32C();
    ByteBuffer view = buf.duplicate();
    view.limit(to).position(from);
    crc.update(view);
    return (int) crc.getValue();
  }
}
