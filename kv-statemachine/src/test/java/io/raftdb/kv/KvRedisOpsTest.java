package io.raftdb.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The operations the Redis front end needs: conditional puts, increments, batches, key scans. */
class KvRedisOpsTest extends KvFixture {
  private static final KvLimits LIMITS = new KvLimits(16, 32, 256);

  KvRedisOpsTest() {
    super(LIMITS);
  }


  private Optional<ByteString> get(String key) {
    return query(KvQuery.get(s(key)));
  }

  @Test
  void conditionalPutsWriteOnlyWhenTheirConditionHolds() {
    assertEquals(Optional.empty(), submit(KvCommand.putIf(s("k"), s("1"), PutCondition.IF_PRESENT)));
    assertEquals(Optional.empty(), get("k"), "XX on an absent key writes nothing");
    assertEquals(Optional.empty(), submit(KvCommand.putIf(s("k"), s("1"), PutCondition.IF_ABSENT)));
    assertEquals(Optional.of(s("1")), get("k"));
    assertEquals(Optional.of(s("1")), submit(KvCommand.putIf(s("k"), s("2"), PutCondition.IF_ABSENT)));
    assertEquals(Optional.of(s("1")), get("k"), "NX on a present key writes nothing");
    assertEquals(Optional.of(s("1")), submit(KvCommand.putIf(s("k"), s("3"), PutCondition.IF_PRESENT)));
    assertEquals(Optional.of(s("3")), submit(KvCommand.putIf(s("k"), s("4"), PutCondition.ALWAYS)));
    assertEquals(Optional.of(s("4")), get("k"));
  }

  @Test
  void incrementsFollowRedissIntegerRules() {
    assertEquals(5L, submit(KvCommand.increment(s("n"), 5)));
    assertEquals(-3L, submit(KvCommand.increment(s("n"), -8)));
    assertEquals(Optional.of(s("-3")), get("n"));
    for (String bad : List.of("", "abc", "+1", "01", "-0", " 1", "1 ", "1.5", "-",
        "99999999999999999999", "9223372036854775808", "-9223372036854775809")) {
      submit(KvCommand.put(s("bad"), s(bad)));
      KvException e = assertThrows(KvException.class,
          () -> submit(KvCommand.increment(s("bad"), 1)), bad);
      assertEquals(KvError.NOT_AN_INTEGER, e.error(), bad);
      assertEquals(Optional.of(s(bad)), get("bad"), "a refused increment changes nothing");
    }
    submit(KvCommand.put(s("max"), s("9223372036854775807")));
    assertEquals(KvError.OVERFLOW, assertThrows(KvException.class,
        () -> submit(KvCommand.increment(s("max"), 1))).error());
    submit(KvCommand.put(s("min"), s("-9223372036854775808")));
    assertEquals(Long.MIN_VALUE + 1, submit(KvCommand.increment(s("min"), 1)));
    assertEquals(KvError.OVERFLOW, assertThrows(KvException.class,
        () -> submit(KvCommand.increment(s("min"), Long.MIN_VALUE))).error());
    submit(KvCommand.put(s("zero"), s("0")));
    assertEquals(0L, submit(KvCommand.increment(s("zero"), 0)));
  }

  @Test
  void aBatchAppliesInOrderAndEachCommandFailsAlone() {
    submit(KvCommand.put(s("text"), s("abc")));
    BatchResult r = submit(KvCommand.batch(List.of(
        KvCommand.put(s("a"), s("1")),
        KvCommand.increment(s("text"), 1),
        KvCommand.increment(s("a"), 1),
        KvCommand.append(s("a"), s("x".repeat(32))),
        KvCommand.put(s("a"), s("last")))));
    assertEquals(5, r.size());
    assertEquals(Optional.empty(), r.get(0));
    assertTrue(r.failed(1));
    assertEquals(KvError.NOT_AN_INTEGER, assertThrows(KvException.class, () -> r.get(1)).error());
    assertEquals(2L, r.get(2, KvCommand.increment(s("a"), 1)));
    assertEquals(KvError.VALUE_TOO_LARGE, assertThrows(KvException.class, () -> r.get(3)).error());
    assertEquals(Optional.of(s("2")), r.get(4));
    assertEquals(Optional.of(s("last")), get("a"));
    assertEquals(Optional.of(s("abc")), get("text"));
  }

  @Test
  void aQueryBatchAnswersEachQueryAndStopsPastTheScanBound() {
    submit(KvCommand.put(s("a"), s("x".repeat(30))));
    BatchResult r = query(KvQuery.batch(List.of(KvQuery.get(s("a")), KvQuery.get(s("none")),
        KvQuery.count())));
    assertEquals(Optional.of(s("x".repeat(30))), r.get(0));
    assertEquals(Optional.empty(), r.get(1));
    assertEquals(1L, r.get(2));
    List<KvQuery<?>> many = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      many.add(KvQuery.get(s("a")));
    }
    // Encoded by a codec that allows a longer batch than these limits' largest command.
    KvQuery.Batch batch = KvQuery.batch(many);
    BatchResult bounded = codec.decodeResult(batch,
        kv.query(new KvCodec(new KvLimits(16, 1024, 256)).encode(batch)));
    assertFalse(bounded.failed(0), "the first answer always fits");
    assertEquals(Optional.empty(), bounded.error(0));
    assertEquals(Optional.of(KvError.ANSWERS_TOO_LARGE), bounded.error(19),
        "answers past maxScanBytes are refused");
    assertEquals(KvError.ANSWERS_TOO_LARGE,
        assertThrows(KvException.class, () -> bounded.get(19)).error());
  }

  @Test
  void batchesDoNotNestNorMixAndAreBoundedWhenEncoded() {
    KvCommand<?> put = KvCommand.put(s("a"), s("1"));
    assertThrows(IllegalArgumentException.class, () -> KvCommand.batch(List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> KvCommand.batch(List.of(KvCommand.batch(List.of(put)))));
    // A query hidden among a batch's commands, written by hand.
    byte[] get = codec.encode(KvQuery.get(s("a")));
    byte[] forged = new byte[4 + get.length];
    forged[0] = 1;
    forged[1] = 0x07;
    forged[2] = 1;
    forged[3] = (byte) get.length;
    System.arraycopy(get, 0, forged, 4, get.length);
    KvException e = assertThrows(KvException.class, () -> codec.decodeResult(
        KvCommand.batch(List.of(put)), applyBytes(forged)));
    assertEquals(KvError.UNKNOWN_OPERATION, e.error());
    List<KvCommand<?>> tooMany = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      tooMany.add(KvCommand.put(s("k" + i), s("x".repeat(32))));
    }
    assertThrows(IllegalArgumentException.class, () -> codec.encode(KvCommand.batch(tooMany)));
  }

  @Test
  void everyTruncationOfTheNewRequestsIsMalformedNeverAnException() {
    List<KvRequest<?>> requests = List.of(
        KvCommand.putIf(s("k"), s("v"), PutCondition.IF_ABSENT),
        KvCommand.increment(s("k"), -7),
        KvCommand.batch(List.of(KvCommand.put(s("k"), s("v")), KvCommand.delete(s("k")))),
        KvQuery.batch(List.of(KvQuery.get(s("k")), KvQuery.count())),
        KvQuery.scanKeys(s("a"), 5, Optional.of(s("k*"))));
    for (KvRequest<?> request : requests) {
      byte[] bytes = codec.encode(request);
      assertEquals(request, codec.decode(bytes));
      for (int cut = 0; cut < bytes.length; cut++) {
        byte[] truncated = Arrays.copyOf(bytes, cut);
        byte[] answer = request instanceof KvCommand ? applyBytes(truncated)
            : kv.query(truncated);
        KvException e = assertThrows(KvException.class,
            () -> codec.decodeResult(request, answer), request + " cut at " + cut);
        assertTrue(e.error() == KvError.MALFORMED || e.error() == KvError.INVALID_ARGUMENT,
            e.getMessage());
      }
    }
  }

  @Test
  void randomBytesNeverMakeTheStoreThrow() {
    Random random = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(24)];
      random.nextBytes(bytes);
      if (bytes.length > 1) {
        bytes[0] = 1;
        bytes[1] = (byte) (new int[] {5, 6, 7, 0x14, 0x15})[random.nextInt(5)];
      }
      applyBytes(bytes);
      kv.query(bytes);
    }
  }

  @Test
  void keyScansExamineABoundedNumberOfKeysAndMatchThePattern() {
    for (String k : List.of("a1", "a2", "b1", "b2", "c1")) {
      submit(KvCommand.put(s(k), s("v")));
    }
    KeyPage first = query(KvQuery.scanKeys(ByteString.EMPTY, 3, Optional.of(s("*1"))));
    assertEquals(List.of(s("a1"), s("b1")), first.keys());
    assertEquals(Optional.of(s("b2")), first.nextKey());
    KeyPage second = query(KvQuery.scanKeys(first.nextKey().get(), 3, Optional.of(s("*1"))));
    assertEquals(List.of(s("c1")), second.keys());
    assertEquals(Optional.empty(), second.nextKey());
    KeyPage none = query(KvQuery.scanKeys(ByteString.EMPTY, 2, Optional.of(s("z*"))));
    assertEquals(List.of(), none.keys());
    assertEquals(Optional.of(s("b1")), none.nextKey(), "a sparse match still moves on");
    assertEquals(5, query(KvQuery.scanKeys(ByteString.EMPTY, 100, Optional.empty())).keys()
        .size());
  }
}
