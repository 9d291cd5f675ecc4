package io.raftdb.testkit.linearizability;

/**
 * A key's value in {@link KvModel}: a chain of appended pieces sharing their prefixes, with its
 * length and hash kept as it grows. A history of thousands of appends to one key visits thousands
 * of values, each one piece longer than the last; as strings they would cost quadratic memory.
 */
public final class KvValue {
  /** The value of a key never written. */
  public static final KvValue EMPTY = new KvValue(null, "");
  private static final long BASE = 1_000_003L;
  private static final int SHOWN_CHARS = 200;

  private final KvValue prefix;
  private final String piece;
  private final int length;
  private final long hash;

  private KvValue(KvValue prefix, String piece) {
    this.prefix = prefix;
    this.piece = piece;
    this.length = (prefix == null ? 0 : prefix.length) + piece.length();
    this.hash = extend(prefix == null ? 0 : prefix.hash, piece);
  }

  /** The value {@code s}. */
  public static KvValue of(String s) {
    return new KvValue(null, s);
  }

  /** This value with {@code s} appended. */
  public KvValue append(String s) {
    return s.isEmpty() ? this : new KvValue(this, s);
  }

  /** Whether this value is {@code s}, character for character. */
  public boolean contentEquals(String s) {
    if (s.length() != length) {
      return false;
    }
    int end = s.length();
    for (KvValue v = this; v != null; v = v.prefix) {
      end -= v.piece.length();
      if (!s.regionMatches(end, v.piece, 0, v.piece.length())) {
        return false;
      }
    }
    return true;
  }

  /** A polynomial hash, so that appending extends it without reading the prefix again. */
  private static long extend(long hash, String s) {
    for (int i = 0; i < s.length(); i++) {
      hash = hash * BASE + s.charAt(i);
    }
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof KvValue v && v.length == length && v.hash == hash
        && v.contentEquals(toString());
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hash);
  }

  /** The whole value. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(length);
    sb.setLength(length);
    int end = length;
    for (KvValue v = this; v != null; v = v.prefix) {
      end -= v.piece.length();
      for (int i = 0; i < v.piece.length(); i++) {
        sb.setCharAt(end + i, v.piece.charAt(i));
      }
    }
    return sb.toString();
  }

  /** The value for a report: its end, if it is long. */
  String shortForm() {
    String all = toString();
    return all.length() <= SHOWN_CHARS ? '"' + all + '"'
        : "(" + all.length() + " chars) \"..." + all.substring(all.length() - SHOWN_CHARS) + '"';
  }
}
