package io.raftdb.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KvCodecTest {
  private static final ByteString K = ByteString.utf8("k");
  private static final ByteString V = ByteString.utf8("v");

  private final KvCodec codec = new KvCodec();

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private KvException refused(KvError error, byte[] request) {
    KvException e = assertThrows(KvException.class, () -> codec.decode(request),
        () -> "decoding " + Arrays.toString(request));
    assertEquals(error, e.error(), e.getMessage());
    return e;
  }

  /** One request of each kind and shape. */
  static List<KvRequest<?>> samples() {
    ByteString big = ByteString.copyOf(new byte[300]); // a two-byte length
    return List.of(
        KvCommand.put(K, V), KvCommand.put(ByteString.EMPTY, ByteString.EMPTY),
        KvCommand.put(big, big), KvCommand.append(K, V), KvCommand.delete(K),
        KvCommand.compareAndSet(K, V, big), KvCommand.putIfAbsent(K, V),
        KvCommand.deleteIfEquals(K, V),
        new KvCommand.CompareAndSet(K, Optional.empty(), Optional.empty()),
        KvQuery.get(K), KvQuery.scan(ByteString.EMPTY, 1), KvQuery.scan(K, big, 1000),
        KvQuery.scan(K, Integer.MAX_VALUE), KvQuery.count());
  }

  @Test
  void everyRequestSurvivesARoundTrip() {
    for (KvRequest<?> request : samples()) {
      assertEquals(request, codec.decode(codec.encode(request)));
    }
  }

  @Test
  void randomRequestsSurviveARoundTrip() {
    Random random = new Random(5);
    for (int i = 0; i < 5_000; i++) {
      ByteString key = randomBytes(random, 200);
      ByteString value = randomBytes(random, 20_000);
      KvRequest<?> request = switch (random.nextInt(7)) {
        case 0 -> KvCommand.put(key, value);
        case 1 -> KvCommand.append(key, value);
        case 2 -> KvCommand.delete(key);
        case 3 -> new KvCommand.CompareAndSet(key,
            random.nextBoolean() ? Optional.of(value) : Optional.empty(),
            random.nextBoolean() ? Optional.of(randomBytes(random, 100)) : Optional.empty());
        case 4 -> KvQuery.get(key);
        case 5 -> new KvQuery.Scan(key,
            random.nextBoolean() ? Optional.of(randomBytes(random, 10)) : Optional.empty(),
            1 + random.nextInt(Integer.MAX_VALUE));
        default -> KvQuery.count();
      };
      assertEquals(request, codec.decode(codec.encode(request)));
    }
  }

  static ByteString randomBytes(Random random, int maxLength) {
    byte[] b = new byte[random.nextInt(maxLength + 1)];
    random.nextBytes(b);
    return ByteString.copyOf(b);
  }

  /** The layout documented on KvCodec, byte for byte; a change here is a format change. */
  @Test
  void theEncodingIsCompactAndAsDocumented() {
    assertArrayEquals(bytes(1, 0x01, 1, 'k', 1, 'v'), codec.encode(KvCommand.put(K, V)));
    assertArrayEquals(bytes(1, 0x02, 1, 'k', 1, 'v'), codec.encode(KvCommand.append(K, V)));
    assertArrayEquals(bytes(1, 0x03, 1, 'k'), codec.encode(KvCommand.delete(K)));
    assertArrayEquals(bytes(1, 0x04, 1, 'k', 1, 1, 'v', 0),
        codec.encode(KvCommand.deleteIfEquals(K, V)));
    assertArrayEquals(bytes(1, 0x04, 1, 'k', 0, 1, 1, 'v'),
        codec.encode(KvCommand.putIfAbsent(K, V)));
    assertArrayEquals(bytes(1, 0x11, 1, 'k'), codec.encode(KvQuery.get(K)));
    assertArrayEquals(bytes(1, 0x12, 0, 1, 1, 'v', 0xac, 0x02),
        codec.encode(KvQuery.scan(ByteString.EMPTY, V, 300)));
    assertArrayEquals(bytes(1, 0x12, 1, 'k', 0, 10), codec.encode(KvQuery.scan(K, 10)));
    assertArrayEquals(bytes(1, 0x13), codec.encode(KvQuery.count()));
    byte[] large = codec.encode(KvCommand.put(K, ByteString.copyOf(new byte[200])));
    assertEquals(2 + 2 + 2 + 200, large.length);
    assertArrayEquals(bytes(0xc8, 0x01), Arrays.copyOfRange(large, 4, 6));
  }

  @Test
  void everyTruncationIsMalformed() {
    for (KvRequest<?> request : samples()) {
      byte[] full = codec.encode(request);
      for (int n = 0; n < full.length; n++) {
        KvException e = refused(KvError.MALFORMED, Arrays.copyOf(full, n));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
      }
    }
  }

  @Test
  void trailingBytesAreMalformed() {
    for (KvRequest<?> request : samples()) {
      byte[] full = codec.encode(request);
      KvException e = refused(KvError.MALFORMED, Arrays.copyOf(full, full.length + 1));
      assertTrue(e.getMessage().contains("1 unexpected bytes after the request"), e.getMessage());
    }
  }

  @Test
  void anotherVersionIsRefusedByName() {
    KvException e = refused(KvError.UNSUPPORTED_VERSION, bytes(2, 0x01, 1, 'k', 1, 'v'));
    assertEquals("request has format version 2; this node reads version 1", e.detail());
    refused(KvError.UNSUPPORTED_VERSION, bytes(0));
  }

  @Test
  void unknownOperationsAreRefused() {
    KvException e = refused(KvError.UNKNOWN_OPERATION, bytes(1, 0x7f, 1, 'k'));
    assertTrue(e.getMessage().contains("0x7f"), e.getMessage());
    refused(KvError.UNKNOWN_OPERATION, bytes(1, 0x00));
  }

  @Test
  void lengthsPastTheEndAreMalformedWithoutAllocating() {
    KvException e = refused(KvError.MALFORMED, bytes(1, 0x03, 5, 'k'));
    assertTrue(e.getMessage().contains("announces 5 bytes but 1 remain"), e.getMessage());
    // 2^31-1 announced: refused before any array of that size is made.
    refused(KvError.MALFORMED, bytes(1, 0x11, 0xff, 0xff, 0xff, 0xff, 0x07));
  }

  @Test
  void badVarintsAndPresenceBytesAreMalformed() {
    refused(KvError.MALFORMED, bytes(1, 0x11, 0x81, 0x00, 'k')); // not the shortest form
    refused(KvError.MALFORMED, bytes(1, 0x11, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)); // 6 bytes
    refused(KvError.MALFORMED, bytes(1, 0x11, 0xff, 0xff, 0xff, 0xff, 0x0f)); // over 2^31-1
    KvException e = refused(KvError.MALFORMED, bytes(1, 0x04, 1, 'k', 2, 0));
    assertTrue(e.getMessage().contains("not 0 or 1"), e.getMessage());
  }

  @Test
  void aScanLimitBelowOneIsAnInvalidArgument() {
    refused(KvError.INVALID_ARGUMENT, bytes(1, 0x12, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> KvQuery.scan(K, 0));
  }

  @Test
  void oversizedKeysAndValuesAreRefusedByTheDecoderWithTheLimitNamed() {
    KvCodec small = new KvCodec(new KvLimits(2, 3, 100));
    KvException key = assertThrows(KvException.class,
        () -> small.decode(codec.encode(KvCommand.put(ByteString.utf8("abc"), V))));
    assertEquals(KvError.KEY_TOO_LARGE, key.error());
    assertEquals("key of 3 bytes exceeds maxKeyBytes 2", key.detail());
    KvException value = assertThrows(KvException.class,
        () -> small.decode(codec.encode(KvCommand.compareAndSet(K, V, ByteString.utf8("abcd")))));
    assertEquals(KvError.VALUE_TOO_LARGE, value.error());
    assertEquals("new value of 4 bytes exceeds maxValueBytes 3", value.detail());
    KvException bound = assertThrows(KvException.class,
        () -> small.decode(codec.encode(KvQuery.scan(K, ByteString.utf8("zzz"), 1))));
    assertEquals(KvError.KEY_TOO_LARGE, bound.error());
  }

  @Test
  void oversizedKeysAndValuesAreRefusedBeforeSendingWithTheLimitNamed() {
    KvCodec small = new KvCodec(new KvLimits(2, 3, 100));
    IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
        () -> small.encode(KvQuery.get(ByteString.utf8("abc"))));
    assertEquals("key of 3 bytes exceeds maxKeyBytes 2", key.getMessage());
    IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
        () -> small.encode(KvCommand.append(K, ByteString.utf8("abcd"))));
    assertEquals("value of 4 bytes exceeds maxValueBytes 3", value.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> small.encode(KvCommand.putIfAbsent(K, ByteString.utf8("abcd"))));
    assertThrows(IllegalArgumentException.class,
        () -> small.encode(KvQuery.scan(K, ByteString.utf8("abc"), 1)));
    // At the limit is fine.
    small.encode(KvCommand.put(ByteString.utf8("ab"), ByteString.utf8("abc")));
  }

  @Test
  void randomAndMutatedBytesOnlyEverGiveKvExceptions() {
    Random random = new Random(11);
    List<byte[]> valid = new ArrayList<>();
    for (KvRequest<?> r : samples()) {
      valid.add(codec.encode(r));
    }
    for (int i = 0; i < 200_000; i++) {
      byte[] b;
      if (i % 2 == 0) {
        b = new byte[random.nextInt(12)];
        random.nextBytes(b);
        if (b.length > 0 && random.nextBoolean()) {
          b[0] = 1; // mostly past the version check
        }
      } else {
        b = valid.get(random.nextInt(valid.size())).clone();
        b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
      }
      try {
        codec.decode(b);
      } catch (KvException expected) {
        // a clear refusal is the only acceptable failure
      } catch (RuntimeException e) {
        fail("decoding " + Arrays.toString(b) + " threw " + e, e);
      }
    }
  }

  // ------------------------------------------------------------------ results

  @Test
  void resultsDecodeToTheirTypes() {
    assertEquals(Optional.of(V), codec.decodeResult(KvCommand.put(K, K),
        KvResults.value(KvOp.PUT, V)));
    assertEquals(Optional.empty(), codec.decodeResult(KvQuery.get(K),
        KvResults.value(KvOp.GET, null)));
    assertEquals(7L, codec.decodeResult(KvCommand.append(K, V), KvResults.number(KvOp.APPEND, 7)));
    assertEquals(new CasResult(true, Optional.of(V)),
        codec.decodeResult(KvCommand.putIfAbsent(K, V), KvResults.casSucceeded()));
    assertEquals(new CasResult(true, Optional.empty()),
        codec.decodeResult(KvCommand.deleteIfEquals(K, V), KvResults.casSucceeded()));
    assertEquals(new CasResult(false, Optional.of(K)),
        codec.decodeResult(KvCommand.putIfAbsent(K, V), KvResults.casFailed(K)));
    List<KvEntry> entries = List.of(new KvEntry(K, V), new KvEntry(V, ByteString.EMPTY));
    int size = 0;
    for (KvEntry e : entries) {
      size += KvWire.sizeOf(e.key()) + KvWire.sizeOf(e.value());
    }
    byte[] scan = KvResults.scan(entries, size, K);
    assertEquals(new ScanPage(entries, Optional.of(K)),
        codec.decodeResult(KvQuery.scan(K, 2), scan));
    assertEquals(3L, codec.decodeResult(KvQuery.count(), KvResults.number(KvOp.COUNT, 3)));
  }

  @Test
  void errorResultsBecomeKvExceptionsWithTheSameErrorAndMessage() {
    byte[] result = KvResults.error(new KvException(KvError.VALUE_TOO_LARGE, "too long"));
    KvException e = assertThrows(KvException.class,
        () -> codec.decodeResult(KvCommand.append(K, V), result));
    assertEquals(KvError.VALUE_TOO_LARGE, e.error());
    assertEquals("too long", e.detail());
    assertEquals("VALUE_TOO_LARGE: too long", e.getMessage());
  }

  @Test
  void malformedResultsAreRefused() {
    byte[] get = KvResults.value(KvOp.GET, V);
    for (int n = 0; n < get.length; n++) {
      byte[] cut = Arrays.copyOf(get, n);
      assertEquals(KvError.MALFORMED, assertThrows(KvException.class,
          () -> codec.decodeResult(KvQuery.get(K), cut)).error());
    }
    KvException wrongOp = assertThrows(KvException.class,
        () -> codec.decodeResult(KvCommand.put(K, V), get));
    assertEquals(KvError.MALFORMED, wrongOp.error());
    assertTrue(wrongOp.getMessage().contains("not that of PUT"), wrongOp.getMessage());
    KvException unknown = assertThrows(KvException.class,
        () -> codec.decodeResult(KvQuery.get(K), bytes(1, 0, 99, 2, 'h', 'i')));
    assertEquals(KvError.MALFORMED, unknown.error());
    assertTrue(unknown.getMessage().contains("unknown error code 99: hi"), unknown.getMessage());
    assertEquals(KvError.UNSUPPORTED_VERSION, assertThrows(KvException.class,
        () -> codec.decodeResult(KvQuery.get(K), bytes(9, 0x11, 0))).error());
  }
}
