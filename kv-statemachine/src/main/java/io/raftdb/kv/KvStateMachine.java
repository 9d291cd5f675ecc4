package io.raftdb.kv;

import io.raftdb.StateMachine;
import io.raftdb.kv.map.PersistentSortedMap;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The key-value store as a RaftDB {@link StateMachine}: byte-string keys and values in unsigned
 * byte order, written by {@link KvCommand}s through the log and read by {@link KvQuery}s, both
 * encoded by {@link KvCodec}.
 *
 * <pre>{@code
 * RaftNode node = RaftNode.builder().id(n1).members(ids)
 *     .stateMachine(new KvStateMachine())      // the same KvLimits on every replica
 *     .transport("sim", net).dataDirectory(dir).build().start();
 * }</pre>
 *
 * <p>It never throws from {@link #apply} or {@link #query}: a request that is malformed, of an
 * unknown version or operation, or beyond the {@link KvLimits} gets an error result (decoded by
 * {@link KvCodec#decodeResult} into a {@link KvException}) and changes nothing. Since the result
 * depends only on the bytes and the limits, every replica refuses the same commands, which is why
 * the limits must be the same everywhere.
 *
 * <p>The state is one {@link PersistentSortedMap} that each command replaces by an updated copy
 * sharing all but O(log n) nodes. {@link #captureSnapshot()} therefore just keeps the current map
 * (O(1) on the apply thread), and the writer streams it in key order on the background thread
 * while later commands build new maps beside it. {@link #restoreSnapshot} builds the new map
 * aside and swaps it in only once the whole snapshot has been read and checked.
 *
 * <p>Threading: as the {@link StateMachine} contract says, one apply thread calls every method;
 * only the snapshot writer runs elsewhere, on its own immutable map.
 */
public final class KvStateMachine implements StateMachine {
  private final KvLimits limits;
  private final KvCodec codec;
  private PersistentSortedMap<ByteString, ByteString> data = PersistentSortedMap.empty();

  /** An empty store with {@link KvLimits#defaults()}. */
  public KvStateMachine() {
    this(KvLimits.defaults());
  }

  /** An empty store with {@code limits}, which every replica of the group must share. */
  public KvStateMachine(KvLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.codec = new KvCodec(limits);
  }

  /** The limits this store enforces. */
  public KvLimits limits() {
    return limits;
  }

  @Override
  public byte[] apply(long index, byte[] command) {
    try {
      KvRequest<?> request = codec.decode(command);
      if (request instanceof KvCommand.Batch b) {
        List<byte[]> results = new ArrayList<>(b.commands().size());
        b.commands().forEach(c -> results.add(applyOne(c)));
        return KvResults.batch(KvOp.BATCH, results);
      }
      if (request instanceof KvCommand<?> c) {
        return applyOne(c);
      }
      throw new KvException(KvError.UNKNOWN_OPERATION, KvOp.of(request)
          + " is a query: send it with RaftNode.query, not through the log");
    } catch (KvException e) {
      return KvResults.error(e);
    }
  }

  /** Applies one command; a refusal is its error result, and changes nothing. */
  private byte[] applyOne(KvCommand<?> command) {
    try {
      if (command instanceof KvCommand.Put p) {
        return put(p);
      } else if (command instanceof KvCommand.Append a) {
        return append(a);
      } else if (command instanceof KvCommand.Delete d) {
        return delete(d);
      } else if (command instanceof KvCommand.CompareAndSet c) {
        return compareAndSet(c);
      } else if (command instanceof KvCommand.PutIf p) {
        return putIf(p);
      } else if (command instanceof KvCommand.Increment i) {
        return increment(i);
      }
      throw new AssertionError("the codec refuses nested batches: " + KvOp.of(command));
    } catch (KvException e) {
      return KvResults.error(e);
    }
  }

  @Override
  public byte[] query(byte[] query) {
    try {
      KvRequest<?> request = codec.decode(query);
      if (request instanceof KvQuery.Batch b) {
        return queryBatch(b);
      }
      if (request instanceof KvQuery<?> q) {
        return queryOne(q);
      }
      throw new KvException(KvError.UNKNOWN_OPERATION, KvOp.of(request)
          + " is a command: submit it through the log, not with RaftNode.query");
    } catch (KvException e) {
      return KvResults.error(e);
    }
  }

  /** The answers to a batch's queries, until they pass maxScanBytes (the first always fits). */
  private byte[] queryBatch(KvQuery.Batch b) {
    List<byte[]> results = new ArrayList<>(b.queries().size());
    long bytes = 0;
    for (KvQuery<?> q : b.queries()) {
      byte[] answer = bytes > limits.maxScanBytes()
          ? KvResults.error(new KvException(KvError.ANSWERS_TOO_LARGE, "the batch's answers"
              + " passed maxScanBytes " + limits.maxScanBytes() + "; ask for fewer at a time"))
          : queryOne(q);
      bytes += answer.length;
      results.add(answer);
    }
    return KvResults.batch(KvOp.QUERY_BATCH, results);
  }

  private byte[] queryOne(KvQuery<?> query) {
    try {
      if (query instanceof KvQuery.Get g) {
        return KvResults.value(KvOp.GET, data.get(g.key()));
      } else if (query instanceof KvQuery.Scan s) {
        return scan(s);
      } else if (query instanceof KvQuery.ScanKeys k) {
        return scanKeys(k);
      } else if (query instanceof KvQuery.Count) {
        return KvResults.number(KvOp.COUNT, data.size());
      }
      throw new AssertionError("the codec refuses nested batches: " + KvOp.of(query));
    } catch (KvException e) {
      return KvResults.error(e);
    }
  }

  private byte[] putIf(KvCommand.PutIf p) {
    ByteString previous = data.get(p.key());
    if (p.condition().applies(previous != null)) {
      data = data.put(p.key(), p.value());
    }
    return KvResults.value(KvOp.PUT_IF, previous);
  }

  private byte[] increment(KvCommand.Increment i) {
    ByteString previous = data.get(i.key());
    long value = previous == null ? 0 : RedisIntegers.parse(previous);
    long sum;
    try {
      sum = Math.addExact(value, i.delta());
    } catch (ArithmeticException e) {
      throw new KvException(KvError.OVERFLOW, "increment or decrement would overflow");
    }
    data = data.put(i.key(), ByteString.utf8(Long.toString(sum)));
    return KvResults.sum(sum);
  }

  private byte[] scanKeys(KvQuery.ScanKeys k) {
    GlobPattern pattern = k.pattern().map(GlobPattern::compile).orElse(null);
    Iterator<Map.Entry<ByteString, ByteString>> it = data.iterator(k.fromInclusive(), null);
    List<ByteString> keys = new ArrayList<>();
    long keysBytes = 0;
    int examined = 0;
    ByteString next = null;
    while (it.hasNext()) {
      ByteString key = it.next().getKey();
      int keyBytes = KvWire.sizeOf(key);
      if (examined == k.examine()
          || !keys.isEmpty() && keysBytes + keyBytes > limits.maxScanBytes()) {
        next = key;
        break;
      }
      examined++;
      if (pattern == null || pattern.matches(key)) {
        keys.add(key);
        keysBytes += keyBytes;
      }
    }
    return KvResults.keys(keys, (int) keysBytes, next);
  }

  private byte[] put(KvCommand.Put p) {
    ByteString previous = data.get(p.key());
    data = data.put(p.key(), p.value());
    return KvResults.value(KvOp.PUT, previous);
  }

  private byte[] append(KvCommand.Append a) {
    ByteString previous = data.get(a.key());
    long length = (previous == null ? 0L : previous.size()) + a.value().size();
    if (length > limits.maxValueBytes()) {
      throw new KvException(KvError.VALUE_TOO_LARGE, "APPEND would make the value " + length
          + " bytes long, over maxValueBytes " + limits.maxValueBytes());
    }
    data = data.put(a.key(), previous == null ? a.value() : previous.concat(a.value()));
    return KvResults.number(KvOp.APPEND, (int) length);
  }

  private byte[] delete(KvCommand.Delete d) {
    ByteString previous = data.get(d.key());
    data = data.remove(d.key());
    return KvResults.value(KvOp.DELETE, previous);
  }

  private byte[] compareAndSet(KvCommand.CompareAndSet c) {
    ByteString current = data.get(c.key());
    boolean matches = c.expected().isPresent()
        ? c.expected().get().equals(current)
        : current == null;
    if (!matches) {
      return KvResults.casFailed(current);
    }
    data = c.newValue().isPresent()
        ? data.put(c.key(), c.newValue().get())
        : data.remove(c.key());
    return KvResults.casSucceeded();
  }

  private byte[] scan(KvQuery.Scan s) {
    Iterator<Map.Entry<ByteString, ByteString>> it =
        data.iterator(s.fromInclusive(), s.toExclusive().orElse(null));
    List<KvEntry> page = new ArrayList<>(Math.min(s.limit(), 64));
    long pageBytes = 0;
    ByteString next = null;
    while (it.hasNext()) {
      Map.Entry<ByteString, ByteString> e = it.next();
      int entryBytes = KvWire.sizeOf(e.getKey()) + KvWire.sizeOf(e.getValue());
      // The first entry always goes in, however large, so that paging cannot stall.
      if (page.size() == s.limit()
          || !page.isEmpty() && pageBytes + entryBytes > limits.maxScanBytes()) {
        next = e.getKey();
        break;
      }
      page.add(new KvEntry(e.getKey(), e.getValue()));
      pageBytes += entryBytes;
    }
    return KvResults.scan(page, (int) pageBytes, next);
  }

  /** Pins the current map, in O(1); the writer streams it in key order on another thread. */
  @Override
  public SnapshotWriter captureSnapshot() {
    PersistentSortedMap<ByteString, ByteString> pinned = data;
    return out -> KvSnapshotFormat.write(pinned, out);
  }

  /**
   * Replaces the state with a snapshot's. The snapshot is read and checked whole before anything
   * changes, so a failure leaves the previous state in place.
   *
   * @throws IOException if the stream fails, or holds no valid key-value snapshot (wrong magic or
   *     version, truncated, keys out of order, trailing bytes)
   */
  @Override
  public void restoreSnapshot(InputStream in) throws IOException {
    data = KvSnapshotFormat.read(in);
  }
}
