package io.raftdb.kv;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A read of the key-value store. Encode it with {@link KvCodec#encode}, send the bytes with
 * {@code RaftNode.query} at the consistency you need (never through the log), and decode the
 * answer with {@link KvCodec#decodeResult}.
 *
 * @param <R> the type of the query's result
 */
public sealed interface KvQuery<R> extends KvRequest<R> {

  /** The value of {@code key}. */
  static Get get(ByteString key) {
    return new Get(key);
  }

  /** Up to {@code limit} entries from {@code fromInclusive} to the end, in key order. */
  static Scan scan(ByteString fromInclusive, int limit) {
    return new Scan(fromInclusive, Optional.empty(), limit);
  }

  /** Up to {@code limit} entries with {@code fromInclusive <= key < toExclusive}, in key order. */
  static Scan scan(ByteString fromInclusive, ByteString toExclusive, int limit) {
    return new Scan(fromInclusive, Optional.of(toExclusive), limit);
  }

  /**
   * Up to {@code examine} keys from {@code fromInclusive} on, in key order, those matching
   * {@code pattern} (a {@link GlobPattern}; every key if empty), without their values.
   */
  static ScanKeys scanKeys(ByteString fromInclusive, int examine, Optional<ByteString> pattern) {
    return new ScanKeys(fromInclusive, examine, pattern);
  }

  /** Runs {@code queries} together, in one read. */
  static Batch batch(List<KvQuery<?>> queries) {
    return new Batch(queries);
  }

  /** The number of keys. */
  static Count count() {
    return new Count();
  }

  /**
   * Reads a key's value. The result is the value, or empty if the key is absent.
   *
   * @param key the key
   */
  record Get(ByteString key) implements KvQuery<Optional<ByteString>> {
    /** Checks that the key is not {@code null}. */
    public Get {
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * An ordered range scan: the entries with {@code fromInclusive <= key < toExclusive} (no upper
   * bound if {@code toExclusive} is empty) in ascending unsigned byte order, at most
   * {@code limit} of them and at most {@link KvLimits#maxScanBytes()} of data. The result is a
   * {@link ScanPage}, whose {@link ScanPage#nextKey()} is where the next page starts if the range
   * holds more. An empty {@code fromInclusive} starts at the smallest key.
   *
   * @param fromInclusive the smallest key to return
   * @param toExclusive the key to stop before, or empty to scan to the end
   * @param limit the most entries to return, at least 1
   */
  record Scan(ByteString fromInclusive, Optional<ByteString> toExclusive, int limit)
      implements KvQuery<ScanPage> {
    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException if {@code limit} is below 1
     */
    public Scan {
      Objects.requireNonNull(fromInclusive, "fromInclusive");
      Objects.requireNonNull(toExclusive, "toExclusive");
      if (limit < 1) {
        throw new IllegalArgumentException("scan limit must be at least 1, got " + limit);
      }
    }

    /** The same scan from another start: the next page when given the last page's next key. */
    public Scan from(ByteString newFromInclusive) {
      return new Scan(newFromInclusive, toExclusive, limit);
    }
  }

  /** Counts the keys (as Redis's {@code DBSIZE}). The result is the number of keys. */
  record Count() implements KvQuery<Long> {}

  /**
   * One step of a key scan (Redis's {@code SCAN}): examines up to {@code examine} keys from
   * {@code fromInclusive} in ascending unsigned byte order and returns those that match
   * {@code pattern}, as a {@link KeyPage} (at most {@link KvLimits#maxScanBytes()} of keys; the
   * first always). Bounding the keys examined, not those returned, keeps a step short however
   * few keys match.
   *
   * @param fromInclusive where to start (empty: at the smallest key)
   * @param examine the most keys to examine, at least 1
   * @param pattern a glob the keys must match, or empty for all
   */
  record ScanKeys(ByteString fromInclusive, int examine, Optional<ByteString> pattern)
      implements KvQuery<KeyPage> {
    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException if {@code examine} is below 1
     */
    public ScanKeys {
      Objects.requireNonNull(fromInclusive, "fromInclusive");
      Objects.requireNonNull(pattern, "pattern");
      if (examine < 1) {
        throw new IllegalArgumentException("scan must examine at least 1 key, got " + examine);
      }
    }
  }

  /**
   * Several queries answered together, from one state of the store. Each succeeds or fails on
   * its own; once the answers so far exceed {@link KvLimits#maxScanBytes()}, the remaining
   * queries fail with {@link KvError#ANSWERS_TOO_LARGE} (ask for fewer at a time). Batches do not
   * nest.
   *
   * @param queries the queries, at least one
   */
  record Batch(List<KvQuery<?>> queries) implements KvQuery<BatchResult> {
    /**
     * Checks the queries.
     *
     * @throws IllegalArgumentException if there are none, or one is itself a batch
     */
    public Batch {
      queries = BatchRules.check(queries, Batch.class, "query");
    }
  }
}
