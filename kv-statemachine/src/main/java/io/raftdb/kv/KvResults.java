package io.raftdb.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Encodes the state machine's results and decodes them for clients; the layout is documented on
 * {@link KvCodec}. Results are not checked against {@link KvLimits}: they hold what the store
 * holds, which may predate a lowered limit.
 */
final class KvResults {
  private KvResults() {}

  /** A PUT, DELETE or GET result: the previous (or current) value, or none. */
  static byte[] value(KvOp op, ByteString valueOrNull) {
    Optional<ByteString> v = Optional.ofNullable(valueOrNull);
    return header(op, KvWire.sizeOf(v)).writeOptional(v).toByteArray();
  }

  /** An APPEND or COUNT result: one non-negative number. */
  static byte[] number(KvOp op, int n) {
    return header(op, KvWire.varIntSize(n)).writeVarInt(n).toByteArray();
  }

  /** The result of a compare-and-set that wrote its new value. */
  static byte[] casSucceeded() {
    return header(KvOp.COMPARE_AND_SET, 1).writeByte(1).toByteArray();
  }

  /** The result of a compare-and-set whose expectation failed, with the value found. */
  static byte[] casFailed(ByteString currentOrNull) {
    Optional<ByteString> current = Optional.ofNullable(currentOrNull);
    return header(KvOp.COMPARE_AND_SET, 1 + KvWire.sizeOf(current)).writeByte(0)
        .writeOptional(current).toByteArray();
  }

  /** A scan page; {@code entriesSize} is the encoded size of the entries, as counted. */
  static byte[] scan(List<KvEntry> entries, int entriesSize, ByteString nextKeyOrNull) {
    Optional<ByteString> next = Optional.ofNullable(nextKeyOrNull);
    KvBytesWriter out = header(KvOp.SCAN,
        KvWire.varIntSize(entries.size()) + entriesSize + KvWire.sizeOf(next));
    out.writeVarInt(entries.size());
    for (KvEntry e : entries) {
      out.writeBytes(e.key()).writeBytes(e.value());
    }
    return out.writeOptional(next).toByteArray();
  }

  /** An INCREMENT result: the sum. */
  static byte[] sum(long sum) {
    return header(KvOp.INCREMENT, Long.BYTES).writeLong(sum).toByteArray();
  }

  /** A BATCH or QUERY_BATCH result: each element's whole result, in order. */
  static byte[] batch(KvOp op, List<byte[]> results) {
    int size = KvWire.varIntSize(results.size());
    for (byte[] r : results) {
      size += KvWire.varIntSize(r.length) + r.length;
    }
    KvBytesWriter out = header(op, size).writeVarInt(results.size());
    results.forEach(out::writeBytes);
    return out.toByteArray();
  }

  /** A SCAN_KEYS step; {@code keysSize} is the encoded size of the keys, as counted. */
  static byte[] keys(List<ByteString> keys, int keysSize, ByteString nextKeyOrNull) {
    Optional<ByteString> next = Optional.ofNullable(nextKeyOrNull);
    KvBytesWriter out = header(KvOp.SCAN_KEYS,
        KvWire.varIntSize(keys.size()) + keysSize + KvWire.sizeOf(next));
    out.writeVarInt(keys.size());
    keys.forEach(out::writeBytes);
    return out.writeOptional(next).toByteArray();
  }

  /** A refusal. */
  static byte[] error(KvException e) {
    return new KvBytesWriter(64).writeByte(KvWire.VERSION).writeByte(KvOp.ERROR)
        .writeByte(e.error().code()).writeUtf8(e.detail()).toByteArray();
  }

  private static KvBytesWriter header(KvOp op, int payloadSize) {
    return new KvBytesWriter(KvWire.HEADER_BYTES + payloadSize).writeByte(KvWire.VERSION)
        .writeByte(op.code);
  }

  /** See {@link KvCodec#decodeResult}. */
  static <R> R decode(KvRequest<R> request, byte[] result) {
    return decode(request, new KvBytesReader(result, "result"));
  }

  @SuppressWarnings("unchecked") // each branch returns the result type of its request's class
  private static <R> R decode(KvRequest<R> request, KvBytesReader in) {
    KvCodec.readVersion(in, "result");
    KvOp expected = KvOp.of(request);
    int code = in.readByte("op code");
    if (code == KvOp.ERROR) {
      throw readError(in);
    }
    if (code != expected.code) {
      throw in.malformed(String.format("op code 0x%02x is not that of %s (0x%02x)", code,
          expected, expected.code));
    }
    Object decoded;
    switch (expected) {
      case PUT, PUT_IF, DELETE, GET -> decoded = in.readOptional("value", Integer.MAX_VALUE,
          KvError.MALFORMED, "");
      case APPEND, COUNT -> decoded = (long) in.readVarInt(expected == KvOp.COUNT ? "count"
          : "length");
      case COMPARE_AND_SET -> {
        boolean succeeded = in.readPresence("succeeded");
        decoded = succeeded
            ? new CasResult(true, ((KvCommand.CompareAndSet) request).newValue())
            : new CasResult(false, in.readOptional("current value", Integer.MAX_VALUE,
                KvError.MALFORMED, ""));
      }
      case SCAN -> decoded = readScanPage(in);
      case INCREMENT -> decoded = in.readLong("sum");
      case BATCH -> decoded = readBatch(in, ((KvCommand.Batch) request).commands());
      case QUERY_BATCH -> decoded = readBatch(in, ((KvQuery.Batch) request).queries());
      case SCAN_KEYS -> decoded = readKeyPage(in);
      default -> throw new AssertionError(expected);
    }
    in.expectEnd();
    return (R) decoded;
  }

  private static ScanPage readScanPage(KvBytesReader in) {
    int n = in.readVarInt("entry count");
    // Not presized from the count: a forged count fails at the first missing entry instead.
    List<KvEntry> entries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      entries.add(new KvEntry(in.readBytes("key"), in.readBytes("value")));
    }
    Optional<ByteString> next = in.readOptional("next key", Integer.MAX_VALUE,
        KvError.MALFORMED, "");
    return new ScanPage(entries, next);
  }

  private static BatchResult readBatch(KvBytesReader in, List<? extends KvRequest<?>> requests) {
    int n = in.readVarInt("batch size");
    if (n != requests.size()) {
      throw in.malformed(n + " results for a batch of " + requests.size());
    }
    List<Object> outcomes = new ArrayList<>(n);
    for (KvRequest<?> r : requests) {
      KvBytesReader one = in.nested("batch element result");
      try {
        outcomes.add(decode(r, one));
      } catch (KvException refused) {
        outcomes.add(refused);
      }
    }
    return new BatchResult(outcomes);
  }

  private static KeyPage readKeyPage(KvBytesReader in) {
    int n = in.readVarInt("key count");
    List<ByteString> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(in.readBytes("key"));
    }
    return new KeyPage(keys, in.readOptional("next key", Integer.MAX_VALUE, KvError.MALFORMED,
        ""));
  }

  private static KvException readError(KvBytesReader in) {
    int code = in.readByte("error code");
    String detail = in.readUtf8("error message");
    in.expectEnd();
    KvError error = KvError.ofCode(code);
    return error != null
        ? new KvException(error, detail)
        : new KvException(KvError.MALFORMED, "unknown error code " + code + ": " + detail);
  }
}
