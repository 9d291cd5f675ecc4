package io.raftdb.sim.dst;

import io.raftdb.message.LogEntry;

/**
 * The 64-bit hashing the checkers use to compare log entries, log prefixes and state machine
 * states cheaply. Collisions would only hide a divergence, never invent one.
 */
final class Hashes {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private Hashes() {}

  /** The splitmix64 finaliser: spreads every input bit over the whole result. */
  static long mix(long x) {
    x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
    x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
    return x ^ (x >>> 31);
  }

  /** Combines a running hash with one more value, order-sensitively. */
  static long combine(long running, long value) {
    return mix(running * 31 + value);
  }

  /** A hash of everything that makes an entry what it is: index, term, kind and payload. */
  static long entry(LogEntry e) {
    long h = FNV_OFFSET;
    for (byte b : e.payload()) {
      h = (h ^ (b & 0xFF)) * FNV_PRIME;
    }
    h = combine(h, e.index());
    h = combine(h, e.term());
    return combine(h, e.kind().code());
  }

  /** FNV-1a over the characters of a string, continuing from {@code running}. */
  static long text(long running, CharSequence s) {
    long h = running;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * FNV_PRIME;
    }
    return h;
  }

  /** The starting value for {@link #text}. */
  static long textSeed() {
    return FNV_OFFSET;
  }
}
