package io.raftdb.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.StateMachine.SnapshotWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class KvSnapshotTest {
  private final KvCodec codec = new KvCodec();
  private long index;

  private static ByteString s(String text) {
    return ByteString.utf8(text);
  }

  private <R> R submit(KvStateMachine kv, KvCommand<R> command) {
    return codec.decodeResult(command, kv.apply(++index, codec.encode(command)));
  }

  private List<KvEntry> contents(KvStateMachine kv) {
    KvQuery.Scan all = KvQuery.scan(ByteString.EMPTY, Integer.MAX_VALUE);
    return codec.decodeResult(all, kv.query(codec.encode(all))).entries();
  }

  private static List<KvEntry> entries(TreeMap<ByteString, ByteString> model) {
    List<KvEntry> out = new ArrayList<>();
    model.forEach((k, v) -> out.add(new KvEntry(k, v)));
    return out;
  }

  private static byte[] write(SnapshotWriter writer) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.writeTo(out);
    return out.toByteArray();
  }

  private static KvStateMachine restored(byte[] snapshot) throws IOException {
    KvStateMachine kv = new KvStateMachine();
    kv.restoreSnapshot(new ByteArrayInputStream(snapshot));
    return kv;
  }

  /** Random puts, appends and deletes on {@code kv}, mirrored in {@code model}. */
  private void churn(KvStateMachine kv, TreeMap<ByteString, ByteString> model, Random random,
      int commands) {
    for (int i = 0; i < commands; i++) {
      ByteString key = KvCodecTest.randomBytes(random, 3);
      ByteString value = KvCodecTest.randomBytes(random, 20);
      switch (random.nextInt(4)) {
        case 0, 1 -> {
          submit(kv, KvCommand.put(key, value));
          model.put(key, value);
        }
        case 2 -> {
          submit(kv, KvCommand.append(key, value));
          model.merge(key, value, ByteString::concat);
        }
        default -> {
          submit(kv, KvCommand.delete(key));
          model.remove(key);
        }
      }
    }
  }

  @Test
  void theFormatIsAsDocumented() throws IOException {
    KvStateMachine kv = new KvStateMachine();
    assertArrayEquals(new byte[] {'R', 'D', 'K', 'V', 1, 0}, write(kv.captureSnapshot()));
    submit(kv, KvCommand.put(s("b"), s("2")));
    submit(kv, KvCommand.put(s("a"), s("")));
    assertArrayEquals(new byte[] {'R', 'D', 'K', 'V', 1, 2, 1, 'a', 0, 1, 'b', 1, '2'},
        write(kv.captureSnapshot()));
  }

  @Test
  void aRestoredStoreHoldsTheSameEntriesAndWritesTheSameSnapshot() throws IOException {
    KvStateMachine kv = new KvStateMachine();
    TreeMap<ByteString, ByteString> model = new TreeMap<>();
    churn(kv, model, new Random(1), 20_000);
    byte[] snapshot = write(kv.captureSnapshot());
    KvStateMachine copy = restored(snapshot);
    assertEquals(entries(model), contents(copy));
    assertArrayEquals(snapshot, write(copy.captureSnapshot()));
    // And the restored store goes on like the original.
    assertEquals(submit(kv, KvCommand.append(s("x"), s("y"))),
        submit(copy, KvCommand.append(s("x"), s("y"))));
    assertArrayEquals(write(kv.captureSnapshot()), write(copy.captureSnapshot()));
  }

  @Test
  void anEmptyStoreRoundTrips() throws IOException {
    assertEquals(List.of(), contents(restored(write(new KvStateMachine().captureSnapshot()))));
  }

  @Test
  void restoringReplacesTheWholeState() throws IOException {
    KvStateMachine source = new KvStateMachine();
    submit(source, KvCommand.put(s("a"), s("1")));
    KvStateMachine target = new KvStateMachine();
    submit(target, KvCommand.put(s("b"), s("2")));
    target.restoreSnapshot(new ByteArrayInputStream(write(source.captureSnapshot())));
    assertEquals(List.of(new KvEntry(s("a"), s("1"))), contents(target));
  }

  @Test
  void theWriterWritesTheStateAsCapturedWhateverIsAppliedAfterwards() throws IOException {
    KvStateMachine kv = new KvStateMachine();
    TreeMap<ByteString, ByteString> model = new TreeMap<>();
    Random random = new Random(2);
    churn(kv, model, random, 5_000);
    List<KvEntry> atCapture = entries(model);
    SnapshotWriter writer = kv.captureSnapshot();
    churn(kv, model, random, 5_000);
    assertEquals(atCapture, contents(restored(write(writer))));
    assertEquals(entries(model), contents(kv));
  }

  /**
   * The writer runs on another thread while the apply thread goes on applying, as RaftDB runs it;
   * the output stream stalls until the applies have begun, so that the two really overlap.
   */
  @Test
  void theWriterOnAnotherThreadIsUndisturbedByConcurrentApplies() throws Exception {
    KvStateMachine kv = new KvStateMachine();
    TreeMap<ByteString, ByteString> model = new TreeMap<>();
    Random random = new Random(4);
    churn(kv, model, random, 20_000);
    List<KvEntry> atCapture = entries(model);
    SnapshotWriter writer = kv.captureSnapshot();
    CountDownLatch applying = new CountDownLatch(1);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStream stalling = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          if (!applying.await(60, TimeUnit.SECONDS)) {
            throw new IOException("the applies never started");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
        bytes.write(b, off, len);
        Thread.yield();
      }
    };
    ExecutorService background = Executors.newSingleThreadExecutor();
    try {
      Future<?> written = background.submit(() -> {
        writer.writeTo(stalling);
        return null;
      });
      applying.countDown();
      churn(kv, model, random, 20_000);
      written.get(60, TimeUnit.SECONDS);
    } finally {
      background.shutdownNow();
    }
    assertEquals(atCapture, contents(restored(bytes.toByteArray())));
    assertEquals(entries(model), contents(kv));
  }

  // ------------------------------------------------------------------ corrupt snapshots

  private static KvStateMachine withOneEntry() {
    KvStateMachine kv = new KvStateMachine();
    kv.apply(1, new KvCodec().encode(KvCommand.put(s("keep"), s("me"))));
    return kv;
  }

  /** Restoring {@code snapshot} fails with {@code type} and leaves the old state in place. */
  private <T extends IOException> T refused(Class<T> type, byte[] snapshot) {
    KvStateMachine kv = withOneEntry();
    T e = assertThrows(type, () -> kv.restoreSnapshot(new ByteArrayInputStream(snapshot)),
        () -> "restoring " + Arrays.toString(snapshot));
    assertEquals(List.of(new KvEntry(s("keep"), s("me"))), contents(kv));
    return e;
  }

  private byte[] sample() throws IOException {
    KvStateMachine kv = new KvStateMachine();
    for (String k : List.of("a", "b", "c")) {
      submit(kv, KvCommand.put(s(k), s(k + k)));
    }
    submit(kv, KvCommand.put(s("big"), ByteString.copyOf(new byte[200])));
    return write(kv.captureSnapshot());
  }

  @Test
  void everyTruncationIsRefusedAndTheOldStateKept() throws IOException {
    byte[] full = sample();
    for (int n = 0; n < full.length; n++) {
      IOException e = refused(IOException.class, Arrays.copyOf(full, n));
      assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("not a key-value"),
          e.getMessage());
    }
  }

  @Test
  void wrongMagicOrVersionIsRefusedByName() throws IOException {
    byte[] other = sample();
    other[0] = 'X';
    assertTrue(refused(IOException.class, other).getMessage()
        .startsWith("not a key-value snapshot"));
    byte[] newer = sample();
    newer[4] = 2;
    assertEquals("key-value snapshot has format version 2; this node reads version 1",
        refused(IOException.class, newer).getMessage());
  }

  @Test
  void keysOutOfOrderOrRepeatedAreRefused() {
    byte[] unsorted = {'R', 'D', 'K', 'V', 1, 2, 1, 'b', 0, 1, 'a', 0};
    assertTrue(refused(IOException.class, unsorted).getMessage().contains("out of order"));
    byte[] repeated = {'R', 'D', 'K', 'V', 1, 2, 1, 'a', 0, 1, 'a', 0};
    assertTrue(refused(IOException.class, repeated).getMessage().contains("out of order"));
    byte[] unsignedOrder = {'R', 'D', 'K', 'V', 1, 2, 1, (byte) 0x80, 0, 1, 0x7f, 0};
    refused(IOException.class, unsignedOrder);
  }

  @Test
  void trailingBytesAreRefused() throws IOException {
    byte[] full = sample();
    byte[] longer = Arrays.copyOf(full, full.length + 1);
    assertTrue(refused(IOException.class, longer).getMessage().contains("bytes after its 4"));
  }

  @Test
  void forgedCountsAndLengthsFailAtTheEndOfTheStreamWithoutHugeAllocations() {
    // 2^31-9 entries announced, none present.
    refused(EOFException.class, new byte[] {'R', 'D', 'K', 'V', 1, (byte) 0xf7, -1, -1, -1, 7});
    // A key of 2^31-9 bytes announced, 3 present.
    refused(EOFException.class,
        new byte[] {'R', 'D', 'K', 'V', 1, 1, (byte) 0xf7, -1, -1, -1, 7, 'a', 'b', 'c'});
    // Beyond the format: refused at once.
    refused(IOException.class, new byte[] {'R', 'D', 'K', 'V', 1, -1, -1, -1, -1, 7});
    refused(IOException.class, new byte[] {'R', 'D', 'K', 'V', 1, -1, -1, -1, -1, -1, 1});
  }

  @Test
  void aFailingStreamFailsTheRestoreAndKeepsTheOldState() throws IOException {
    byte[] full = sample();
    InputStream failing = new InputStream() {
      private int position;

      @Override
      public int read() throws IOException {
        if (position == full.length / 2) {
          throw new IOException("disk gone");
        }
        return full[position++] & 0xFF;
      }
    };
    KvStateMachine kv = withOneEntry();
    assertEquals("disk gone",
        assertThrows(IOException.class, () -> kv.restoreSnapshot(failing)).getMessage());
    assertEquals(Optional.of(s("me")), codec.decodeResult(KvQuery.get(s("keep")),
        kv.query(codec.encode(KvQuery.get(s("keep"))))));
  }
}
