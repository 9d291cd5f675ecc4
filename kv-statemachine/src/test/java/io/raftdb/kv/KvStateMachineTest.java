package io.raftdb.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KvStateMachineTest extends KvFixture {
  /** Small limits, so that the limits themselves are easy to reach. */
  private static final KvLimits LIMITS = new KvLimits(16, 32, 1 << 20);

  /** Encodes what {@link #codec} would refuse, to reach the state machine's own checks. */
  private final KvCodec unlimited = new KvCodec(new KvLimits(1 << 20, 1 << 20, 1 << 20));

  KvStateMachineTest() {
    super(LIMITS);
  }

  private KvException refusedCommand(KvError error, byte[] command) {
    byte[] result = applyBytes(command);
    KvException e = assertThrows(KvException.class,
        () -> codec.decodeResult(KvCommand.delete(s("x")), result));
    assertEquals(error, e.error(), e.getMessage());
    return e;
  }

  private List<KvEntry> everything() {
    return query(KvQuery.scan(ByteString.EMPTY, Integer.MAX_VALUE)).entries();
  }

  private byte[] snapshotBytes() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    kv.captureSnapshot().writeTo(out);
    return out.toByteArray();
  }

  @Test
  void putReturnsThePreviousValueAndGetReadsTheNewOne() {
    assertEquals(Optional.empty(), query(KvQuery.get(s("a"))));
    assertEquals(Optional.empty(), submit(KvCommand.put(s("a"), s("1"))));
    assertEquals(Optional.of(s("1")), submit(KvCommand.put(s("a"), s("2"))));
    assertEquals(Optional.of(s("2")), query(KvQuery.get(s("a"))));
    assertEquals(Optional.empty(), submit(KvCommand.put(ByteString.EMPTY, ByteString.EMPTY)));
    assertEquals(Optional.of(ByteString.EMPTY), query(KvQuery.get(ByteString.EMPTY)));
    assertEquals(2L, query(KvQuery.count()));
  }

  @Test
  void appendCreatesOrExtendsTheValueAndReturnsItsNewLength() {
    assertEquals(3L, submit(KvCommand.append(s("a"), s("abc"))));
    assertEquals(5L, submit(KvCommand.append(s("a"), s("de"))));
    assertEquals(5L, submit(KvCommand.append(s("a"), ByteString.EMPTY)));
    assertEquals(Optional.of(s("abcde")), query(KvQuery.get(s("a"))));
    assertEquals(0L, submit(KvCommand.append(s("b"), ByteString.EMPTY)));
    assertEquals(Optional.of(ByteString.EMPTY), query(KvQuery.get(s("b"))));
  }

  @Test
  void anAppendPastTheValueLimitIsRefusedAndChangesNothing() {
    ByteString thirty = ByteString.copyOf(new byte[30]);
    assertEquals(30L, submit(KvCommand.append(s("a"), thirty)));
    assertEquals(32L, submit(KvCommand.append(s("a"), s("xy")))); // exactly at the limit
    KvException e = assertThrows(KvException.class,
        () -> submit(KvCommand.append(s("a"), s("z"))));
    assertEquals(KvError.VALUE_TOO_LARGE, e.error());
    assertEquals("APPEND would make the value 33 bytes long, over maxValueBytes 32", e.detail());
    assertEquals(Optional.of(thirty.concat(s("xy"))), query(KvQuery.get(s("a"))));
  }

  @Test
  void deleteReturnsTheValueThatWasThere() {
    submit(KvCommand.put(s("a"), s("1")));
    assertEquals(Optional.of(s("1")), submit(KvCommand.delete(s("a"))));
    assertEquals(Optional.empty(), submit(KvCommand.delete(s("a"))));
    assertEquals(Optional.empty(), query(KvQuery.get(s("a"))));
    assertEquals(0L, query(KvQuery.count()));
  }

  @Test
  void compareAndSetWritesOnlyWhenTheExpectationHolds() {
    assertEquals(new CasResult(true, Optional.of(s("1"))),
        submit(KvCommand.putIfAbsent(s("a"), s("1"))));
    assertEquals(new CasResult(false, Optional.of(s("1"))),
        submit(KvCommand.putIfAbsent(s("a"), s("2"))));
    assertEquals(new CasResult(false, Optional.of(s("1"))),
        submit(KvCommand.compareAndSet(s("a"), s("0"), s("2"))));
    assertEquals(Optional.of(s("1")), query(KvQuery.get(s("a"))));
    assertEquals(new CasResult(true, Optional.of(s("2"))),
        submit(KvCommand.compareAndSet(s("a"), s("1"), s("2"))));
    assertEquals(new CasResult(false, Optional.of(s("2"))),
        submit(KvCommand.deleteIfEquals(s("a"), s("1"))));
    assertEquals(new CasResult(true, Optional.empty()),
        submit(KvCommand.deleteIfEquals(s("a"), s("2"))));
    assertEquals(Optional.empty(), query(KvQuery.get(s("a"))));
    assertEquals(new CasResult(false, Optional.empty()),
        submit(KvCommand.compareAndSet(s("a"), s("2"), s("3"))));
    // Absent expected and absent new value: "delete if absent", a successful no-op.
    assertEquals(new CasResult(true, Optional.empty()),
        submit(new KvCommand.CompareAndSet(s("a"), Optional.empty(), Optional.empty())));
    assertEquals(0L, query(KvQuery.count()));
  }

  @Test
  void scansReturnOrderedPagesWithinBoundsAndLimits() {
    for (String k : List.of("b", "a", "c", "ab", "d", "\u00ff", "")) {
      submit(KvCommand.put(s(k), s(k.toUpperCase())));
    }
    ScanPage all = query(KvQuery.scan(ByteString.EMPTY, 100));
    assertEquals(List.of("", "a", "ab", "b", "c", "d", "\u00ff"), keys(all));
    assertFalse(all.hasMore());
    assertEquals(new KvEntry(s("ab"), s("AB")), all.entries().get(2));

    ScanPage bounded = query(KvQuery.scan(s("ab"), s("d"), 2));
    assertEquals(List.of("ab", "b"), keys(bounded));
    assertEquals(Optional.of(s("c")), bounded.nextKey());
    ScanPage rest = query(KvQuery.scan(s("ab"), s("d"), 2).from(bounded.nextKey().get()));
    assertEquals(List.of("c"), keys(rest));
    assertFalse(rest.hasMore()); // "d" is the exclusive end

    assertEquals(List.of(), keys(query(KvQuery.scan(s("d"), s("b"), 5))));
    assertEquals(List.of("\u00ff"), keys(query(KvQuery.scan(s("zz"), 5)))); // 0xc3 0xbf > 'z'
    assertEquals(List.of(), keys(query(KvQuery.scan(ByteString.copyOf(new byte[] {-1}), 5))));
    assertEquals(List.of("ab", "b"), keys(query(KvQuery.scan(s("aa"), s("ba"), 5))));
  }

  @Test
  void pagingThroughAScanVisitsEveryKeyOnceInOrder() {
    Random random = new Random(3);
    java.util.TreeMap<ByteString, ByteString> model = new java.util.TreeMap<>();
    for (int i = 0; i < 500; i++) {
      ByteString key = KvCodecTest.randomBytes(random, 4);
      ByteString value = KvCodecTest.randomBytes(random, 8);
      submit(KvCommand.put(key, value));
      model.put(key, value);
    }
    List<KvEntry> seen = new ArrayList<>();
    KvQuery.Scan scan = KvQuery.scan(ByteString.EMPTY, 7);
    while (true) {
      ScanPage page = query(scan);
      assertTrue(page.entries().size() <= 7);
      seen.addAll(page.entries());
      if (!page.hasMore()) {
        break;
      }
      scan = scan.from(page.nextKey().get());
    }
    List<KvEntry> expected = new ArrayList<>();
    model.forEach((k, v) -> expected.add(new KvEntry(k, v)));
    assertEquals(expected, seen);
    assertEquals((long) model.size(), query(KvQuery.count()));
  }

  @Test
  void aScanPageStopsAtItsByteBudgetButAlwaysHoldsOneEntry() {
    KvStateMachine small = new KvStateMachine(new KvLimits(16, 32, 10));
    KvCodec smallCodec = new KvCodec(small.limits());
    for (String k : List.of("a", "b", "c")) {
      small.apply(1, smallCodec.encode(KvCommand.put(s(k), s("1234"))));  // 2 + 5 bytes each
    }
    small.apply(2, smallCodec.encode(KvCommand.put(s("big"), ByteString.copyOf(new byte[30]))));
    KvQuery.Scan scan = KvQuery.scan(ByteString.EMPTY, 100);
    ScanPage first = smallCodec.decodeResult(scan, small.query(smallCodec.encode(scan)));
    assertEquals(1, first.entries().size()); // a second 7-byte entry would pass 10 bytes
    assertEquals(Optional.of(s("b")), first.nextKey());
    KvQuery.Scan big = scan.from(s("big"));
    ScanPage oversized = smallCodec.decodeResult(big, small.query(smallCodec.encode(big)));
    assertEquals(List.of("big"), keys(oversized));
    assertEquals(Optional.of(s("c")), oversized.nextKey());
  }

  private static List<String> keys(ScanPage page) {
    List<String> keys = new ArrayList<>();
    page.entries().forEach(e -> keys.add(e.key().toStringUtf8()));
    return keys;
  }

  @Test
  void oversizedKeysAndValuesAreRefusedWithTheLimitNamedAndChangeNothing() throws IOException {
    submit(KvCommand.put(s("a"), s("1")));
    byte[] before = snapshotBytes();
    ByteString longKey = ByteString.copyOf(new byte[17]);
    ByteString longValue = ByteString.copyOf(new byte[33]);
    KvException key = refusedCommand(KvError.KEY_TOO_LARGE,
        unlimited.encode(KvCommand.put(longKey, s("1"))));
    assertEquals("key of 17 bytes exceeds maxKeyBytes 16", key.detail());
    KvException value = refusedCommand(KvError.VALUE_TOO_LARGE,
        unlimited.encode(KvCommand.put(s("a"), longValue)));
    assertEquals("value of 33 bytes exceeds maxValueBytes 32", value.detail());
    refusedCommand(KvError.VALUE_TOO_LARGE, unlimited.encode(KvCommand.append(s("a"), longValue)));
    refusedCommand(KvError.VALUE_TOO_LARGE,
        unlimited.encode(KvCommand.compareAndSet(s("a"), longValue, s("2"))));
    refusedCommand(KvError.KEY_TOO_LARGE, unlimited.encode(KvCommand.delete(longKey)));
    assertArrayEquals(before, snapshotBytes());
    // Queries too: a key that long cannot exist, and asking for one is a client's mistake.
    KvException get = assertThrows(KvException.class, () -> codec.decodeResult(
        KvQuery.get(longKey), kv.query(unlimited.encode(KvQuery.get(longKey)))));
    assertEquals(KvError.KEY_TOO_LARGE, get.error());
  }

  @Test
  void malformedCommandsGetErrorResultsAndChangeNothing() throws IOException {
    submit(KvCommand.put(s("a"), s("1")));
    byte[] before = snapshotBytes();
    refusedCommand(KvError.MALFORMED, new byte[0]);
    refusedCommand(KvError.MALFORMED, new byte[] {1, 0x01, 5, 'a'});
    refusedCommand(KvError.UNSUPPORTED_VERSION, new byte[] {2, 0x01, 1, 'a', 1, '2'});
    refusedCommand(KvError.UNKNOWN_OPERATION, new byte[] {1, 0x55});
    assertArrayEquals(before, snapshotBytes());
  }

  @Test
  void queriesAreRefusedThroughTheLogAndCommandsThroughQueries() {
    KvException e = refusedCommand(KvError.UNKNOWN_OPERATION,
        codec.encode(KvQuery.get(s("a"))));
    assertEquals("GET is a query: send it with RaftNode.query, not through the log", e.detail());
    KvException q = assertThrows(KvException.class, () -> codec.decodeResult(KvQuery.count(),
        kv.query(codec.encode(KvCommand.put(s("a"), s("1"))))));
    assertEquals(KvError.UNKNOWN_OPERATION, q.error());
    assertTrue(q.detail().startsWith("PUT is a command"), q.detail());
    assertEquals(Optional.empty(), query(KvQuery.get(s("a"))));
  }

  /**
   * Replicas apply the same bytes, valid or not; they must give the same results and reach the
   * same state. Also: no input makes apply or query throw.
   */
  @Test
  void replicasFedTheSameBytesAgreeAndNeverThrow() throws IOException {
    KvStateMachine other = new KvStateMachine(LIMITS);
    Random random = new Random(17);
    List<KvRequest<?>> samples = KvCodecTest.samples();
    for (int i = 0; i < 50_000; i++) {
      byte[] bytes;
      int kind = random.nextInt(10);
      if (kind < 6) {
        ByteString key = KvCodecTest.randomBytes(random, 2);
        ByteString value = KvCodecTest.randomBytes(random, 3);
        bytes = unlimited.encode(switch (random.nextInt(5)) {
          case 0 -> KvCommand.put(key, value);
          case 1 -> KvCommand.append(key, value);
          case 2 -> KvCommand.delete(key);
          case 3 -> KvCommand.compareAndSet(key, value, KvCodecTest.randomBytes(random, 3));
          default -> KvCommand.putIfAbsent(key, value);
        });
      } else if (kind < 8) {
        bytes = unlimited.encode(samples.get(random.nextInt(samples.size())));
        bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
      } else {
        bytes = new byte[random.nextInt(10)];
        random.nextBytes(bytes);
      }
      byte[] mine;
      byte[] theirs;
      byte[] answer;
      try {
        mine = kv.apply(i + 1, bytes);
        theirs = other.apply(i + 1, bytes.clone());
        answer = kv.query(bytes);
      } catch (RuntimeException e) {
        fail("bytes " + Arrays.toString(bytes) + " made the state machine throw", e);
        return;
      }
      assertArrayEquals(mine, theirs);
      assertTrue(mine.length >= 2 && answer.length >= 2);
    }
    ByteArrayOutputStream theirSnapshot = new ByteArrayOutputStream();
    other.captureSnapshot().writeTo(theirSnapshot);
    assertArrayEquals(snapshotBytes(), theirSnapshot.toByteArray());
    assertTrue(everything().size() > 10, "the random commands should have left some keys");
  }
}
