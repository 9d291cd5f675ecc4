package io.raftdb.message;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** The CRC32C that closes every message frame and log record. */
final class Checksums {
  /** Bytes of the checksum trailer. */
  static final int CRC_BYTES = 4;

  private Checksums() {}

  /**
   * The CRC32C of the absolute index range {@code [from, to)} of {@code buf}, whose position and
   * limit are left unchanged.
   */
  static int crc32c(ByteBuffer buf, int from, int to) {
    CRC32C crc = new CRC32C();
    if (buf.hasArray()) {
      crc.update(buf.array(), buf.arrayOffset() + from, to - from);
    } else {
      ByteBuffer range = buf.duplicate();
      range.clear();
      range.position(from).limit(to);
      crc.update(range);
    }
    return (int) crc.getValue();
  }
}
