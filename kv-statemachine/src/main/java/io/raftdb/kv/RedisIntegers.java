package io.raftdb.kv;

/** Values read as integers the way Redis reads them, so that INCR agrees with Redis. */
final class RedisIntegers {
  /** "-9223372036854775808" is the longest. */
  private static final int MAX_DIGITS = 20;

  private RedisIntegers() {}

  /**
   * The signed 64-bit integer {@code value} writes in decimal: an optional '-', then digits with
   * no leading zero ("0" itself aside; "-0" is refused), nothing else.
   *
   * @throws KvException with {@link KvError#NOT_AN_INTEGER} otherwise, or if it does not fit
   */
  static long parse(ByteString value) {
    int n = value.size();
    boolean negative = n > 0 && value.byteAt(0) == '-';
    int start = negative ? 1 : 0;
    if (n == start || n > MAX_DIGITS || value.byteAt(start) == '0' && n > 1) {
      throw notAnInteger();
    }
    long magnitude = 0; // accumulated negatively: |Long.MIN_VALUE| does not fit as a positive
    for (int i = start; i < n; i++) {
      int digit = value.byteAt(i) - '0';
      if (digit < 0 || digit > 9 || magnitude < (Long.MIN_VALUE + digit) / 10) {
        throw notAnInteger();
      }
      magnitude = magnitude * 10 - digit;
    }
    if (!negative) {
      if (magnitude == Long.MIN_VALUE) {
        throw notAnInteger();
      }
      return -magnitude;
    }
    return magnitude;
  }

  private static KvException notAnInteger() {
    return new KvException(KvError.NOT_AN_INTEGER, "value is not an integer or out of range");
  }
}
