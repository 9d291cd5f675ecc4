package io.raftdb.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The binary encoding of key-value requests and their results: what a client sends to RaftDB and
 * what {@link KvStateMachine} answers. Immutable and thread-safe.
 *
 * <pre>{@code
 * KvCodec kv = new KvCodec();                          // or new KvCodec(limits)
 * KvCommand.Put put = KvCommand.put(ByteString.utf8("k"), ByteString.utf8("v"));
 * Optional<ByteString> previous = kv.decodeResult(put, node.submit(kv.encode(put)).get());
 * KvQuery.Get get = KvQuery.get(ByteString.utf8("k"));
 * Optional<ByteString> value =
 *     kv.decodeResult(get, node.query(kv.encode(get), ReadConsistency.LINEARIZABLE).get());
 * }</pre>
 *
 * <h2>Layout (format version 1)</h2>
 * A request is a version byte ({@code 1}), an op byte, then the operation's fields. A byte string
 * is an unsigned LEB128 varint length (shortest form only) and the bytes; an optional byte string
 * is a presence byte ({@code 0} absent, {@code 1} present) and, if present, the byte string.
 * <pre>
 *   PUT     0x01  key, value
 *   APPEND  0x02  key, value
 *   DELETE  0x03  key
 *   CAS     0x04  key, optional expected, optional new value
 *   PUT_IF  0x05  key, value, condition byte (0 always, 1 if absent, 2 if present)
 *   INCR    0x06  key, delta (8 bytes, signed, big-endian)
 *   BATCH   0x07  varint n (at least 1), n times a byte string holding a whole command
 *   GET     0x11  key
 *   SCAN    0x12  from key, optional to key, varint limit
 *   COUNT   0x13  (nothing)
 *   QBATCH  0x14  varint n (at least 1), n times a byte string holding a whole query
 *   SKEYS   0x15  from key, varint keys to examine, optional glob pattern
 * </pre>
 * A result is the version byte and the request's op byte, then:
 * <pre>
 *   PUT, PUT_IF, DELETE, GET  optional value (the previous value; for GET the value)
 *   APPEND            varint length of the value afterwards
 *   INCR              the sum (8 bytes, signed, big-endian)
 *   BATCH, QBATCH     varint n, n times a byte string holding a whole result (or error)
 *   SKEYS             varint n, n times a key, optional next key
 *   CAS               succeeded byte (0/1); if 0, optional current value
 *   SCAN              varint n, n times (key, value), optional next key
 *   COUNT             varint number of keys
 * </pre>
 * or, if the request was refused, the version byte, op byte {@code 0}, the {@link KvError} code
 * byte and a byte string holding the UTF-8 message. Nothing may follow the last field.
 *
 * <h2>Errors</h2>
 * Batches do not nest, and a batch's elements are commands (of {@code BATCH}) or queries (of
 * {@code QBATCH}). An encoded batch may be at most {@link KvLimits#maxCommandBytes()} long.
 *
 * <p>{@link #encode} refuses a request that breaks the {@link KvLimits} with an
 * {@link IllegalArgumentException} naming the limit, before anything is sent. The state machine
 * never throws: a request it cannot decode or accept gets an error result, the same on every
 * replica, which {@link #decodeResult} turns into a {@link KvException}.
 */
public final class KvCodec {
  private final KvLimits limits;

  /** A codec with {@link KvLimits#defaults()}. */
  public KvCodec() {
    this(KvLimits.defaults());
  }

  /** A codec that enforces {@code limits}, which must be the state machine's. */
  public KvCodec(KvLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** The limits this codec enforces. */
  public KvLimits limits() {
    return limits;
  }

  /**
   * Encodes a request.
   *
   * @throws IllegalArgumentException if a key or value is longer than the limits allow
   */
  public byte[] encode(KvRequest<?> request) {
    KvOp op = KvOp.of(Objects.requireNonNull(request, "request"));
    if (request instanceof KvCommand.Put p) {
      return header(op, checkKey(p.key()) + checkValue(p.value()))
          .writeBytes(p.key()).writeBytes(p.value()).toByteArray();
    } else if (request instanceof KvCommand.Append a) {
      return header(op, checkKey(a.key()) + checkValue(a.value()))
          .writeBytes(a.key()).writeBytes(a.value()).toByteArray();
    } else if (request instanceof KvCommand.Delete d) {
      return header(op, checkKey(d.key())).writeBytes(d.key()).toByteArray();
    } else if (request instanceof KvCommand.CompareAndSet c) {
      int size = checkKey(c.key()) + 2;
      size += c.expected().isPresent() ? checkValue(c.expected().get()) : 0;
      size += c.newValue().isPresent() ? checkValue(c.newValue().get()) : 0;
      return header(op, size).writeBytes(c.key()).writeOptional(c.expected())
          .writeOptional(c.newValue()).toByteArray();
    } else if (request instanceof KvCommand.PutIf p) {
      return header(op, checkKey(p.key()) + checkValue(p.value()) + 1)
          .writeBytes(p.key()).writeBytes(p.value()).writeByte(p.condition().code)
          .toByteArray();
    } else if (request instanceof KvCommand.Increment i) {
      return header(op, checkKey(i.key()) + Long.BYTES).writeBytes(i.key()).writeLong(i.delta())
          .toByteArray();
    } else if (request instanceof KvCommand.Batch b) {
      return encodeBatch(op, b.commands());
    } else if (request instanceof KvQuery.Batch b) {
      return encodeBatch(op, b.queries());
    } else if (request instanceof KvQuery.ScanKeys k) {
      int size = checkKey(k.fromInclusive()) + KvWire.varIntSize(k.examine()) + 1;
      size += k.pattern().isPresent() ? checkKey(k.pattern().get()) : 0;
      return header(op, size).writeBytes(k.fromInclusive()).writeVarInt(k.examine())
          .writeOptional(k.pattern()).toByteArray();
    } else if (request instanceof KvQuery.Get g) {
      return header(op, checkKey(g.key())).writeBytes(g.key()).toByteArray();
    } else if (request instanceof KvQuery.Scan s) {
      int size = checkKey(s.fromInclusive()) + 1 + KvWire.varIntSize(s.limit());
      size += s.toExclusive().isPresent() ? checkKey(s.toExclusive().get()) : 0;
      return header(op, size).writeBytes(s.fromInclusive()).writeOptional(s.toExclusive())
          .writeVarInt(s.limit()).toByteArray();
    }
    return header(op, 0).toByteArray(); // COUNT
  }

  private byte[] encodeBatch(KvOp op, List<? extends KvRequest<?>> requests) {
    List<byte[]> encoded = new ArrayList<>(requests.size());
    long size = KvWire.HEADER_BYTES + KvWire.varIntSize(requests.size());
    for (KvRequest<?> r : requests) {
      byte[] one = encode(r);
      encoded.add(one);
      size += KvWire.varIntSize(one.length) + one.length;
    }
    if (size > limits.maxCommandBytes()) {
      throw new IllegalArgumentException("a batch of " + size + " bytes exceeds the largest"
          + " command, " + limits.maxCommandBytes() + " bytes; send fewer at a time");
    }
    KvBytesWriter out = header(op, (int) size - KvWire.HEADER_BYTES)
        .writeVarInt(encoded.size());
    encoded.forEach(out::writeBytes);
    return out.toByteArray();
  }

  private static KvBytesWriter header(KvOp op, int payloadSize) {
    return new KvBytesWriter(KvWire.HEADER_BYTES + payloadSize)
        .writeByte(KvWire.VERSION).writeByte(op.code);
  }

  /** The encoded size of {@code key}, which must be within the limit. */
  private int checkKey(ByteString key) {
    if (key.size() > limits.maxKeyBytes()) {
      throw new IllegalArgumentException("key of " + key.size() + " bytes exceeds maxKeyBytes "
          + limits.maxKeyBytes());
    }
    return KvWire.sizeOf(key);
  }

  /** The encoded size of {@code value}, which must be within the limit. */
  private int checkValue(ByteString value) {
    if (value.size() > limits.maxValueBytes()) {
      throw new IllegalArgumentException("value of " + value.size()
          + " bytes exceeds maxValueBytes " + limits.maxValueBytes());
    }
    return KvWire.sizeOf(value);
  }

  /**
   * Decodes a request, as the state machine does.
   *
   * @throws KvException if the bytes are not a valid request of this version
   *     ({@link KvError#MALFORMED}, {@link KvError#UNSUPPORTED_VERSION},
   *     {@link KvError#UNKNOWN_OPERATION}) or break the limits ({@link KvError#KEY_TOO_LARGE},
   *     {@link KvError#VALUE_TOO_LARGE}, {@link KvError#INVALID_ARGUMENT} for a scan limit below 1)
   */
  public KvRequest<?> decode(byte[] request) {
    return decode(new KvBytesReader(Objects.requireNonNull(request, "request"), "request"));
  }

  private KvRequest<?> decode(KvBytesReader in) {
    KvOp op = readHeader(in, "request");
    KvRequest<?> decoded;
    switch (op) {
      case PUT -> decoded = new KvCommand.Put(key(in, "key"), value(in, "value"));
      case APPEND -> decoded = new KvCommand.Append(key(in, "key"), value(in, "value"));
      case DELETE -> decoded = new KvCommand.Delete(key(in, "key"));
      case COMPARE_AND_SET -> decoded = new KvCommand.CompareAndSet(key(in, "key"),
          optionalValue(in, "expected value"), optionalValue(in, "new value"));
      case GET -> decoded = new KvQuery.Get(key(in, "key"));
      case SCAN -> {
        ByteString from = key(in, "scan start key");
        Optional<ByteString> to = in.readOptional("scan end key", limits.maxKeyBytes(),
            KvError.KEY_TOO_LARGE, "maxKeyBytes");
        int limit = in.readVarInt("scan limit");
        if (limit < 1) {
          throw new KvException(KvError.INVALID_ARGUMENT, "scan limit must be at least 1");
        }
        decoded = new KvQuery.Scan(from, to, limit);
      }
      case COUNT -> decoded = new KvQuery.Count();
      case PUT_IF -> {
        ByteString key = key(in, "key");
        ByteString value = value(in, "value");
        int code = in.readByte("put condition");
        PutCondition condition = PutCondition.ofCode(code);
        if (condition == null) {
          throw in.malformed("unknown put condition " + code);
        }
        decoded = new KvCommand.PutIf(key, value, condition);
      }
      case INCREMENT -> decoded = new KvCommand.Increment(key(in, "key"), in.readLong("delta"));
      case BATCH -> {
        List<KvCommand<?>> commands = new ArrayList<>();
        decodeBatch(in, true).forEach(r -> commands.add((KvCommand<?>) r));
        decoded = new KvCommand.Batch(commands);
      }
      case QUERY_BATCH -> {
        List<KvQuery<?>> queries = new ArrayList<>();
        decodeBatch(in, false).forEach(r -> queries.add((KvQuery<?>) r));
        decoded = new KvQuery.Batch(queries);
      }
      case SCAN_KEYS -> {
        ByteString from = key(in, "scan start key");
        int examine = in.readVarInt("keys to examine");
        Optional<ByteString> pattern = in.readOptional("pattern", limits.maxKeyBytes(),
            KvError.KEY_TOO_LARGE, "maxKeyBytes");
        if (examine < 1) {
          throw new KvException(KvError.INVALID_ARGUMENT, "a scan must examine at least 1 key");
        }
        decoded = new KvQuery.ScanKeys(from, examine, pattern);
      }
      default -> throw new AssertionError(op);
    }
    in.expectEnd();
    return decoded;
  }

  /** A batch's elements, each a whole command (or query), none of them a batch. */
  private List<KvRequest<?>> decodeBatch(KvBytesReader in, boolean commands) {
    int n = in.readVarInt("batch size");
    if (n < 1) {
      throw new KvException(KvError.INVALID_ARGUMENT, "a batch needs at least one request");
    }
    // Not presized from the count: a forged count fails at the first missing element instead.
    List<KvRequest<?>> elements = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      KvRequest<?> element = decode(in.nested("batch element " + i));
      if (element instanceof KvCommand.Batch || element instanceof KvQuery.Batch) {
        throw new KvException(KvError.INVALID_ARGUMENT, "batches do not nest");
      }
      if (element instanceof KvCommand != commands) {
        throw new KvException(KvError.UNKNOWN_OPERATION, "batch element " + i + " is "
            + KvOp.of(element) + ", not a " + (commands ? "command" : "query"));
      }
      elements.add(element);
    }
    return elements;
  }

  private ByteString key(KvBytesReader in, String field) {
    return in.readBytes(field, limits.maxKeyBytes(), KvError.KEY_TOO_LARGE, "maxKeyBytes");
  }

  private ByteString value(KvBytesReader in, String field) {
    return in.readBytes(field, limits.maxValueBytes(), KvError.VALUE_TOO_LARGE,
        "maxValueBytes");
  }

  private Optional<ByteString> optionalValue(KvBytesReader in, String field) {
    return in.readOptional(field, limits.maxValueBytes(), KvError.VALUE_TOO_LARGE,
        "maxValueBytes");
  }

  /** Reads and checks the version byte, then the op byte of a request. */
  private static KvOp readHeader(KvBytesReader in, String what) {
    readVersion(in, what);
    int code = in.readByte("op code");
    KvOp op = KvOp.ofCode(code);
    if (op == null) {
      throw new KvException(KvError.UNKNOWN_OPERATION, String.format(
          "unknown op code 0x%02x in %s", code, what));
    }
    return op;
  }

  /** Reads the version byte and refuses any but this format's. */
  static void readVersion(KvBytesReader in, String what) {
    int version = in.readByte("format version");
    if (version != KvWire.VERSION) {
      throw new KvException(KvError.UNSUPPORTED_VERSION, what + " has format version "
          + version + "; this node reads version " + KvWire.VERSION);
    }
  }

  /**
   * Decodes the result of {@code request}, as the state machine answered it.
   *
   * @return the request's result: see each request type for its meaning
   * @throws KvException if the state machine refused the request (its {@link KvException#error()}
   *     says why), or with {@link KvError#MALFORMED} if the bytes are not a result of this request
   */
  public <R> R decodeResult(KvRequest<R> request, byte[] result) {
    return KvResults.decode(Objects.requireNonNull(request, "request"),
        Objects.requireNonNull(result, "result"));
  }
}
