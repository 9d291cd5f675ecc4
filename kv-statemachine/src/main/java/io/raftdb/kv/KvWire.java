package io.raftdb.kv;

import java.util.Optional;

/**
 * Constants and sizes shared by the encoders and decoders of requests and results (see
 * {@link KvCodec} for the layout).
 */
final class KvWire {
  /**
   * The format version written first in every request and result. A new version may only be
   * written once every replica reads it: replicas that disagree on a command's meaning diverge.
   */
  static final int VERSION = 1;
  /** Version byte and op byte. */
  static final int HEADER_BYTES = 2;
  /** The presence byte of an absent optional field. */
  static final int ABSENT = 0;
  /** The presence byte of a present optional field. */
  static final int PRESENT = 1;

  private KvWire() {}

  /** The size of {@code value} (non-negative) as an unsigned LEB128 varint: 1 to 5 bytes. */
  static int varIntSize(int value) {
    return (38 - Integer.numberOfLeadingZeros(value | 1)) / 7;
  }

  /** The size of a length-prefixed byte string. */
  static int sizeOf(ByteString s) {
    return varIntSize(s.size()) + s.size();
  }

  /** The size of an optional byte string: the presence byte and, if present, the string. */
  static int sizeOf(Optional<ByteString> s) {
    return 1 + (s.isPresent() ? sizeOf(s.get()) : 0);
  }
}
