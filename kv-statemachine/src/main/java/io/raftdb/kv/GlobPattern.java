package io.raftdb.kv;

import java.util.Objects;

/**
 * A Redis-style glob over bytes, as {@code KEYS}, {@code SCAN … MATCH} and {@code CONFIG GET}
 * take: {@code *} any run of bytes, {@code ?} any one byte, {@code [abc]} one of a set,
 * {@code [^abc]} one not in it, {@code [a-z]} a range (either way round), {@code \x} the byte x
 * itself (inside or outside a set). A set left open at the end of the pattern closes there.
 * Matching is case-sensitive and byte-wise; it takes O(pattern × key) time at worst.
 * Immutable and thread-safe.
 */
public final class GlobPattern {
  private final byte[] pattern;

  private GlobPattern(byte[] pattern) {
    this.pattern = pattern;
  }

  /** The glob written as {@code pattern}. */
  public static GlobPattern compile(ByteString pattern) {
    return new GlobPattern(Objects.requireNonNull(pattern, "pattern").toByteArray());
  }

  /** Whether {@code key} matches, whole. */
  public boolean matches(byte[] key) {
    return matches(ByteString.wrap(key.clone()));
  }

  /** Whether {@code key} matches, whole. Reads the key in place: scans call this per key. */
  public boolean matches(ByteString key) {
    int length = key.size();
    int p = 0;
    int k = 0;
    // Where to resume after the last '*': the pattern just past it, and the key byte it
    // would swallow next. One star's backtracking suffices: a later star subsumes earlier ones.
    int starP = -1;
    int starK = 0;
    while (k < length) {
      if (p < pattern.length && pattern[p] == '*') {
        while (p < pattern.length && pattern[p] == '*') {
          p++;
        }
        if (p == pattern.length) {
          return true;
        }
        starP = p;
        starK = k;
        continue;
      }
      int next = p < pattern.length ? matchOne(p, key.byteAt(k) & 0xFF) : -1;
      if (next >= 0) {
        p = next;
        k++;
      } else if (starP >= 0) {
        p = starP;
        k = ++starK;
      } else {
        return false;
      }
    }
    while (p < pattern.length && pattern[p] == '*') {
      p++;
    }
    return p == pattern.length;
  }

  /**
   * Matches the single-byte element at {@code p} against {@code b}: the position after the
   * element if it matches, or -1.
   */
  private int matchOne(int p, int b) {
    int c = pattern[p] & 0xFF;
    if (c == '?') {
      return p + 1;
    }
    if (c == '\\' && p + 1 < pattern.length) {
      return (pattern[p + 1] & 0xFF) == b ? p + 2 : -1;
    }
    if (c != '[') {
      return c == b ? p + 1 : -1;
    }
    int i = p + 1;
    boolean negate = i < pattern.length && pattern[i] == '^';
    if (negate) {
      i++;
    }
    boolean found = false;
    while (i < pattern.length && pattern[i] != ']') {
      int lo = pattern[i] & 0xFF;
      if (lo == '\\' && i + 1 < pattern.length) {
        found |= (pattern[i + 1] & 0xFF) == b;
        i += 2;
      } else if (i + 2 < pattern.length && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
        int hi = pattern[i + 2] & 0xFF;
        found |= b >= Math.min(lo, hi) && b <= Math.max(lo, hi);
        i += 3;
      } else {
        found |= lo == b;
        i++;
      }
    }
    int after = i < pattern.length ? i + 1 : i; // an open set closes at the end
    return found != negate ? after : -1;
  }

  @Override
  public String toString() {
    return ByteString.copyOf(pattern).toString();
  }
}
