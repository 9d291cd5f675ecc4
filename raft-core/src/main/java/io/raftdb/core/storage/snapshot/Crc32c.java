package io.raftdb.core.storage.snapshot;

/**
 * CRC32C arithmetic that {@link java.util.zip.CRC32C} lacks: the checksum of two byte sequences
 * laid end to end, computed from the checksum of each and the length of the second.
 *
 * <p>A snapshot's checksum covers its header and then its state, but the header holds the state's
 * length, which is known only after the state machine has written the state. Combining lets the
 * state be checksummed as it streams to disk and the header be checksummed afterwards, without
 * reading the state back.
 *
 * <p>The math: a CRC is the message as a polynomial over GF(2) reduced modulo the CRC
 * polynomial P; with the standard initial value and final XOR both all-ones, they cancel out of
 * {@code crc(A || B) = crc(A) * x^(8 * |B|) + crc(B) (mod P)}. Values are kept in the reflected
 * bit order CRC32C uses (the x^0 coefficient in the top bit). Stateless and thread-safe.
 */
final class Crc32c {
  /** The Castagnoli polynomial, reflected, without its x^32 term. */
  private static final int POLYNOMIAL = 0x82F63B78;
  /** The polynomial "1" (x^0) in reflected order. */
  private static final int ONE = 0x80000000;

  /**
   * {@code X_POW_2_POW[k]} is x^(2^k) mod P. A byte length up to 2^63 is up to 2^66 bits, so 67
   * powers cover every shift.
   */
  private static final int[] X_POW_2_POW = new int[67];

  static {
    X_POW_2_POW[0] = ONE >>> 1; // x^1
    for (int k = 1; k < X_POW_2_POW.length; k++) {
      X_POW_2_POW[k] = multiply(X_POW_2_POW[k - 1], X_POW_2_POW[k - 1]);
    }
  }

  private Crc32c() {}

  /**
   * The CRC32C of A followed by B, given {@code crcA} (of A), {@code crcB} (of B) and the length
   * of B in bytes. O(log length), independent of the bytes themselves.
   */
  static int combine(int crcA, int crcB, long lengthB) {
    if (lengthB < 0) {
      throw new IllegalArgumentException("negative length " + lengthB);
    }
    return multiply(crcA, xPowEightTimes(lengthB)) ^ crcB;
  }

  /** x^(8n) mod P, by multiplying the powers x^(2^k) that the bits of 8n select. */
  private static int xPowEightTimes(long n) {
    int result = ONE;
    for (int k = 3; n != 0; k++, n >>>= 1) { // 8n = n << 3: bit j of n is bit j + 3 of 8n
      if ((n & 1) != 0) {
        result = multiply(result, X_POW_2_POW[k]);
      }
    }
    return result;
  }

  /** a * b mod P, both reflected. */
  private static int multiply(int a, int b) {
    int product = 0;
    // Walk a's coefficients from x^0 (top bit) up; b is multiplied by x at each step.
    for (int bit = ONE; bit != 0; bit >>>= 1) {
      if ((a & bit) != 0) {
        product ^= b;
      }
      b = (b & 1) != 0 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
    }
    return product;
  }
}
