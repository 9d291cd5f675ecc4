package io.raftdb.core.storage.snapshot;

import static io.raftdb.core.storage.snapshot.SnapshotStorageConformanceTest.MEMBERS;
import static io.raftdb.core.storage.snapshot.SnapshotStorageConformanceTest.randomState;
import static io.raftdb.core.storage.snapshot.SnapshotStorageConformanceTest.readState;
import static io.raftdb.core.storage.snapshot.SnapshotStorageConformanceTest.readStored;
import static io.raftdb.core.storage.snapshot.SnapshotStorageConformanceTest.ship;
import static io.raftdb.core.storage.snapshot.SnapshotStorageConformanceTest.writing;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.StateMachine;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotReceiver;
import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What only a store on disk must do: file names, crash leftovers, damaged files, large states. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FileSnapshotStorageTest {
  @TempDir
  Path dir;
  private final List<FileSnapshotStorage> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(FileSnapshotStorage::close);
  }

  private FileSnapshotStorage open() {
    return open(FileSnapshotStorage.DEFAULT_KEEP);
  }

  private FileSnapshotStorage open(int keep) {
    FileSnapshotStorage store = FileSnapshotStorage.open(dir, keep);
    opened.add(store);
    return store;
  }

  private List<String> fileNames() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private Path fileOf(SnapshotInfo snapshot) {
    return dir.resolve("snapshot-" + snapshot.index() + "-" + snapshot.term() + ".snap");
  }

  private static void flipByte(Path file, long position) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position);
      one.put(0, (byte) (one.get(0) ^ 0x40)).rewind();
      channel.write(one, position);
    }
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  @Test
  void aSnapshotIsOneFileNamedByIndexAndTermHoldingTheStoredBytes() throws Exception {
    FileSnapshotStorage store = open();

    SnapshotInfo saved = store.save(12, 3, MEMBERS, writing(randomState(1000, 1)));

    assertEquals(List.of("snapshot-12-3.snap"), fileNames());
    byte[] file = Files.readAllBytes(fileOf(saved));
    assertEquals(saved.sizeBytes(), file.length);
    assertArrayEquals(file, readStored(store, saved, 100));
    assertEquals("RDBS", new String(file, 0, 4, StandardCharsets.US_ASCII));
  }

  @Test
  void prunedSnapshotsAreDeletedFromDisk() throws Exception {
    FileSnapshotStorage store = open();
    for (int i = 1; i <= 4; i++) {
      store.save(i, 1, MEMBERS, writing(new byte[] {(byte) i}));
    }

    assertEquals(List.of("snapshot-3-1.snap", "snapshot-4-1.snap"), fileNames());
  }

  @Test
  void aNewestFileWithAFlippedByteIsSkippedForTheOlderValidOne() throws Exception {
    FileSnapshotStorage store = open();
    SnapshotInfo older = store.save(5, 1, MEMBERS, writing(randomState(10_000, 2)));
    SnapshotInfo newer = store.save(9, 2, MEMBERS, writing(randomState(10_000, 3)));
    store.close();
    flipByte(fileOf(newer), newer.sizeBytes() / 2);

    FileSnapshotStorage reopened = open();

    assertEquals(Optional.of(older), reopened.latest());
    assertArrayEquals(randomState(10_000, 2), readState(reopened, older));
    assertTrue(Files.exists(fileOf(newer)), "the damaged file is left for inspection");
  }

  @Test
  void aTruncatedNewestFileIsSkippedForTheOlderValidOne() throws Exception {
    FileSnapshotStorage store = open();
    SnapshotInfo older = store.save(5, 1, MEMBERS, writing(randomState(10_000, 2)));
    SnapshotInfo newer = store.save(9, 2, MEMBERS, writing(randomState(10_000, 3)));
    store.close();
    truncate(fileOf(newer), newer.sizeBytes() - 1);

    assertEquals(Optional.of(older), open().latest());
  }

  @Test
  void anEmptyNewestFileIsSkippedForTheOlderValidOne() throws Exception {
    FileSnapshotStorage store = open();
    SnapshotInfo older = store.save(5, 1, MEMBERS, writing(randomState(100, 2)));
    SnapshotInfo newer = store.save(9, 2, MEMBERS, writing(randomState(100, 3)));
    store.close();
    truncate(fileOf(newer), 0);

    assertEquals(Optional.of(older), open().latest());
  }

  @Test
  void aFileWhoseNameDisagreesWithItsHeaderIsSkipped() throws Exception {
    FileSnapshotStorage store = open();
    SnapshotInfo older = store.save(5, 1, MEMBERS, writing(new byte[] {5}));
    SnapshotInfo newer = store.save(9, 2, MEMBERS, writing(new byte[] {9}));
    store.close();
    Files.move(fileOf(newer), dir.resolve("snapshot-99-2.snap"));

    FileSnapshotStorage reopened = open();

    assertEquals(Optional.of(older), reopened.latest());
  }

  @Test
  void whenEverySnapshotFileIsDamagedThereIsNoSnapshot() throws Exception {
    FileSnapshotStorage store = open();
    SnapshotInfo older = store.save(5, 1, MEMBERS, writing(randomState(1000, 2)));
    SnapshotInfo newer = store.save(9, 2, MEMBERS, writing(randomState(1000, 3)));
    store.close();
    flipByte(fileOf(older), 2);
    truncate(fileOf(newer), 30);

    assertEquals(Optional.empty(), open().latest());
  }

  @Test
  void aValidSnapshotReplacesADamagedFileOfTheSameName() throws Exception {
    FileSnapshotStorage store = open();
    SnapshotInfo saved = store.save(9, 2, MEMBERS, writing(new byte[] {9}));
    store.close();
    truncate(fileOf(saved), 10);
    FileSnapshotStorage reopened = open();

    reopened.save(9, 2, MEMBERS, writing(new byte[] {9, 9}));

    assertArrayEquals(new byte[] {9, 9}, readState(reopened, reopened.latest().orElseThrow()));
  }

  @Test
  void temporaryFilesLeftByACrashAreDeletedAtOpen() throws Exception {
    FileSnapshotStorage store = open();
    SnapshotInfo saved = store.save(5, 1, MEMBERS, writing(new byte[] {5}));
    // A receive cut short by a crash (the store is never closed), and a save cut short.
    store.receive(9, 2).write(0, new byte[100]);
    Files.write(dir.resolve("snapshot-11-2.77.tmp"), new byte[4096]);
    Files.writeString(dir.resolve("notes.txt"), "not ours");
    assertEquals(4, fileNames().size());

    FileSnapshotStorage reopened = open();

    assertEquals(List.of("notes.txt", "snapshot-5-1.snap"), fileNames());
    assertEquals(Optional.of(saved), reopened.latest());
  }

  @Test
  void aRejectedOrAbortedTransferLeavesNoFileBehind() throws Exception {
    FileSnapshotStorage store = open();
    assertThrows(StorageException.class, () -> store.receive(9, 2).commit());
    SnapshotReceiver garbage = store.receive(9, 2);
    garbage.write(0, randomState(500, 5));
    assertThrows(StorageException.class, garbage::commit);
    SnapshotReceiver aborted = store.receive(10, 2);
    aborted.write(0, new byte[10]);
    aborted.abort();

    assertEquals(List.of(), fileNames());
  }

  @Test
  void closingTheStoreDiscardsOpenTransfers() throws Exception {
    FileSnapshotStorage store = open();
    SnapshotReceiver receiver = store.receive(9, 2);
    receiver.write(0, new byte[10]);

    store.close();

    assertEquals(List.of(), fileNames());
    assertThrows(IllegalStateException.class, () -> receiver.write(10, new byte[1]));
  }

  @Test
  void snapshotsBeyondTheNewestKeptAreDeletedAtOpen() throws Exception {
    FileSnapshotStorage store = open(3);
    for (int i = 1; i <= 3; i++) {
      store.save(i, 1, MEMBERS, writing(new byte[] {(byte) i}));
    }
    store.close();

    FileSnapshotStorage reopened = open(1);

    assertEquals(List.of("snapshot-3-1.snap"), fileNames());
    assertEquals(3, reopened.latest().orElseThrow().index());
  }

  @Test
  void snapshotsShipBetweenAFileStoreAndAMemoryStoreBothWays() throws Exception {
    FileSnapshotStorage file = open();
    MemorySnapshotStorage memory = new MemorySnapshotStorage();
    byte[] state = randomState(70_000, 4);
    SnapshotInfo fromFile = file.save(20, 2, MEMBERS, writing(state));

    SnapshotInfo inMemory = ship(file, fromFile, memory, 4096);
    memory.save(30, 3, MEMBERS, writing(state));
    SnapshotInfo backOnDisk = ship(memory, memory.latest().orElseThrow(), file, 10_000);

    assertEquals(fromFile, inMemory);
    assertArrayEquals(state, readState(memory, inMemory));
    assertEquals(30, backOnDisk.index());
    assertArrayEquals(state, readState(file, backOnDisk));
  }

  @Test
  void aFileDeletedBehindTheStoresBackIsReportedByName() throws Exception {
    FileSnapshotStorage store = open();
    SnapshotInfo saved = store.save(5, 1, MEMBERS, writing(new byte[] {5}));
    Files.delete(fileOf(saved));

    StorageException read = assertThrows(StorageException.class, () -> store.read(saved, 0, 10));
    StorageException state = assertThrows(StorageException.class, () -> store.openState(saved));

    assertTrue(read.getMessage().contains(fileOf(saved).toString()), read.getMessage());
    assertTrue(state.getMessage().contains(fileOf(saved).toString()), state.getMessage());
  }

  @Test
  void aSaveIntoAVanishedDirectoryFailsNamingTheFile() throws Exception {
    FileSnapshotStorage store = open();
    Files.delete(dir);

    StorageException e = assertThrows(StorageException.class,
        () -> store.save(5, 1, MEMBERS, writing(new byte[] {5})));

    assertTrue(e.getMessage().contains(dir.resolve("snapshot-5-1.").toString()), e.getMessage());
    Files.createDirectories(dir); // for @TempDir's clean-up
  }

  /**
   * 50 MB from a generator. Halfway through, the bytes written so far must already be in the
   * temporary file: the store streams the state to disk instead of collecting it.
   */
  @Test
  void aLargeStateIsStreamedToDiskAsItIsWritten() throws Exception {
    FileSnapshotStorage store = open();
    long size = 50L * 1000 * 1000;
    long[] halfway = {-1, -1}; // bytes written, bytes in the file

    SnapshotInfo saved = store.save(1_000_000, 9, MEMBERS, out -> {
      PatternBytes pattern = new PatternBytes(size);
      byte[] block = new byte[8192];
      for (int n; (n = pattern.read(block, 0, block.length)) > 0; ) {
        out.write(block, 0, n);
        if (halfway[0] < 0 && pattern.position() >= size / 2) {
          halfway[0] = pattern.position();
          halfway[1] = temporaryFileSize();
        }
      }
    });

    assertTrue(halfway[1] >= halfway[0] - StateOutput.BUFFER_BYTES,
        "only " + halfway[1] + " bytes were in the file after " + halfway[0] + " were written");
    assertEquals(size + SnapshotFormat.headerSize(1_000_000, 9, MEMBERS)
        + SnapshotFormat.CRC_BYTES, saved.sizeBytes());
    assertSameBytes(new PatternBytes(size), store.openState(saved));
    store.close();
    assertEquals(Optional.of(saved), open().latest(), "and it verifies when reopened");
  }

  private long temporaryFileSize() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      Path temp = files.filter(p -> p.toString().endsWith(".tmp")).findFirst().orElseThrow();
      return Files.size(temp);
    }
  }

  private static void assertSameBytes(InputStream expected, InputStream actual)
      throws IOException {
    try (actual) {
      byte[] a = new byte[65_536];
      byte[] b = new byte[65_536];
      long at = 0;
      while (true) {
        int n = expected.readNBytes(a, 0, a.length);
        int m = actual.readNBytes(b, 0, n == 0 ? 1 : n);
        assertEquals(n, m, "length differs near byte " + at);
        if (n == 0) {
          return;
        }
        for (int i = 0; i < n; i++) {
          if (a[i] != b[i]) {
            throw new AssertionError("byte " + (at + i) + " differs");
          }
        }
        at += n;
      }
    }
  }

  @Test
  void aWriterHandedTheStreamCannotWriteAfterReturning() throws Exception {
    FileSnapshotStorage store = open();
    OutputStream[] kept = new OutputStream[1];
    StateMachine.SnapshotWriter leaky = out -> {
      kept[0] = out;
      out.write(1);
    };

    SnapshotInfo saved = store.save(5, 1, MEMBERS, leaky);

    assertThrows(IOException.class, () -> kept[0].write(2));
    assertArrayEquals(new byte[] {1}, readState(store, saved));
    assertFalse(fileNames().stream().anyMatch(n -> n.endsWith(".tmp")));
  }

  /** A long, reproducible, non-repeating-looking byte sequence made on the fly. */
  private static final class PatternBytes extends InputStream {
    private final long size;
    private long position;

    PatternBytes(long size) {
      this.size = size;
    }

    long position() {
      return position;
    }

    @Override
    public int read() {
      return position < size ? byteAt(position++) : -1;
    }

    @Override
    public int read(byte[] into, int offset, int count) {
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(count, size - position);
      for (int i = 0; i < n; i++) {
        into[offset + i] = (byte) byteAt(position++);
      }
      return n;
    }

    private static int byteAt(long i) {
      long x = i * 0x9E3779B97F4A7C15L;
      return (int) (x >>> 56) & 0xFF;
    }
  }
}
