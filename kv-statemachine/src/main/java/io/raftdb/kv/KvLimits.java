package io.raftdb.kv;

/**
 * The size limits of the key-value store. They are part of the state machine's configuration and
 * must be identical on every replica: whether a command is applied or refused depends on them, so
 * replicas with different limits would diverge. Clients use the same limits to refuse an oversized
 * request before sending it (see {@link KvCodec}).
 *
 * <p>Lowering a limit later governs new commands only: values already stored (and snapshots that
 * hold them) stay readable, but an {@code APPEND} to such a value is refused.
 *
 * @param maxKeyBytes the longest key, in bytes; longer keys are refused with
 *     {@link KvError#KEY_TOO_LARGE}
 * @param maxValueBytes the longest value, in bytes, also after an {@code APPEND}; longer ones are
 *     refused with {@link KvError#VALUE_TOO_LARGE}
 * @param maxScanBytes the most bytes of keys and values (and their length prefixes) one scan page
 *     carries; a scan stops early, with a next key to continue from, rather than pass it (a page
 *     always holds at least one entry, so paging always progresses)
 */
public record KvLimits(int maxKeyBytes, int maxValueBytes, int maxScanBytes) {
  /** The default longest key: 64 KiB. */
  public static final int DEFAULT_MAX_KEY_BYTES = 64 << 10;
  /**
   * The default longest value: 2 MiB. Chosen so that the largest command, a compare-and-set that
   * carries two values, stays well under RaftDB's default command limit of 8 MiB with room for
   * client session headers.
   */
  public static final int DEFAULT_MAX_VALUE_BYTES = 2 << 20;
  /** The default budget of a scan page: 4 MiB. */
  public static final int DEFAULT_MAX_SCAN_BYTES = 4 << 20;

  private static final KvLimits DEFAULTS =
      new KvLimits(DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_VALUE_BYTES, DEFAULT_MAX_SCAN_BYTES);

  /**
   * Validates the limits.
   *
   * @throws IllegalArgumentException if a limit is below 1, or the largest command they allow
   *     would not fit in a Java array
   */
  public KvLimits {
    atLeastOne("maxKeyBytes", maxKeyBytes);
    atLeastOne("maxValueBytes", maxValueBytes);
    atLeastOne("maxScanBytes", maxScanBytes);
    if (largestCommand(maxKeyBytes, maxValueBytes) > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxKeyBytes " + maxKeyBytes + " and maxValueBytes "
          + maxValueBytes + " allow commands larger than a Java array");
    }
  }

  private static void atLeastOne(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
  }

  /** 64 KiB keys, 2 MiB values, 4 MiB scan pages. */
  public static KvLimits defaults() {
    return DEFAULTS;
  }

  /** A copy with another key limit. */
  public KvLimits withMaxKeyBytes(int bytes) {
    return new KvLimits(bytes, maxValueBytes, maxScanBytes);
  }

  /** A copy with another value limit. */
  public KvLimits withMaxValueBytes(int bytes) {
    return new KvLimits(maxKeyBytes, bytes, maxScanBytes);
  }

  /** A copy with another scan page budget. */
  public KvLimits withMaxScanBytes(int bytes) {
    return new KvLimits(maxKeyBytes, maxValueBytes, bytes);
  }

  /**
   * The size of the largest command these limits allow once encoded (a compare-and-set with a
   * key and two values of the largest sizes). RaftDB's {@code RaftConfig.maxCommandBytes} should
   * be at least this plus whatever a client session adds, or such commands fail before reaching
   * the log.
   */
  public int maxCommandBytes() {
    return (int) largestCommand(maxKeyBytes, maxValueBytes);
  }

  private static long largestCommand(int maxKeyBytes, int maxValueBytes) {
    return KvWire.HEADER_BYTES + 2L // the presence bytes of the two values
        + KvWire.varIntSize(maxKeyBytes) + maxKeyBytes
        + 2L * (KvWire.varIntSize(maxValueBytes) + maxValueBytes);
  }
}
