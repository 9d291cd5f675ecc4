package io.raftdb.kv;

/**
 * Why the key-value store refused a request. Each has a stable one-byte code on the wire, so a
 * client can tell the errors apart without parsing messages.
 */
public enum KvError {
  /** The bytes are not a well-formed request (or result): truncated, trailing bytes, bad field. */
  MALFORMED(1),
  /** The request's format version is one this node does not read. */
  UNSUPPORTED_VERSION(2),
  /** The operation code is unknown, or a query was submitted as a command or the reverse. */
  UNKNOWN_OPERATION(3),
  /** A key is longer than {@link KvLimits#maxKeyBytes()}. */
  KEY_TOO_LARGE(4),
  /** A value, or the value an append would make, is longer than {@link KvLimits#maxValueBytes()}. */
  VALUE_TOO_LARGE(5),
  /** A well-formed field has a value the operation does not accept, such as a scan limit of 0. */
  INVALID_ARGUMENT(6),
  /** An increment found a value that is not a 64-bit decimal integer. */
  NOT_AN_INTEGER(7),
  /** An increment's sum does not fit in 64 bits. */
  OVERFLOW(8),
  /**
   * A query of a batch was not run: the answers before it already passed
   * {@link KvLimits#maxScanBytes()}. Ask again for it, or for fewer at a time.
   */
  ANSWERS_TOO_LARGE(9);

  private final int code;

  KvError(int code) {
    this.code = code;
  }

  /** The code on the wire, 1..255. */
  public int code() {
    return code;
  }

  /** The error with {@code code}, or {@code null} if there is none (a newer node's error). */
  static KvError ofCode(int code) {
    for (KvError e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    return null;
  }
}
