package io.raftdb.core.storage.snapshot;

import static io.raftdb.core.storage.snapshot.SnapshotStorageConformanceTest.MEMBERS;
import static io.raftdb.core.storage.snapshot.SnapshotStorageConformanceTest.randomState;
import static io.raftdb.core.storage.snapshot.SnapshotStorageConformanceTest.readState;
import static io.raftdb.core.storage.snapshot.SnapshotStorageConformanceTest.readStored;
import static io.raftdb.core.storage.snapshot.SnapshotStorageConformanceTest.writing;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotReceiver;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemorySnapshotStorageTest {

  @Test
  void aDurableCopyHoldsWhatWasPublishedButNoTransferInProgress() throws Exception {
    MemorySnapshotStorage store = new MemorySnapshotStorage();
    SnapshotInfo saved = store.save(5, 1, MEMBERS, writing(new byte[] {5}));
    MemorySnapshotStorage leader = new MemorySnapshotStorage();
    SnapshotInfo sent = leader.save(9, 2, MEMBERS, writing(new byte[] {9}));
    SnapshotReceiver receiver = store.receive(9, 2);
    receiver.write(0, readStored(leader, sent, Integer.MAX_VALUE));

    MemorySnapshotStorage copy = store.durableCopy();

    assertEquals(Optional.of(saved), copy.latest());
    assertArrayEquals(new byte[] {5}, readState(copy, saved));
    receiver.commit();
    assertEquals(Optional.of(sent), store.latest());
    assertEquals(Optional.of(saved), copy.latest(), "the copy is independent of the original");
  }

  @Test
  void aDurableCopyCanBeTakenAfterClose() throws Exception {
    MemorySnapshotStorage store = new MemorySnapshotStorage(1);
    store.save(5, 1, MEMBERS, writing(new byte[] {5}));
    SnapshotInfo newest = store.save(6, 1, MEMBERS, writing(new byte[] {6}));
    store.close();

    MemorySnapshotStorage copy = store.durableCopy();
    copy.save(7, 1, MEMBERS, writing(new byte[] {7}));

    assertEquals(7, copy.latest().orElseThrow().index());
    assertEquals(Optional.of(newest), store.durableCopy().latest(), "the original is unchanged");
  }

  @Test
  void theStoredBytesAreExactlyThoseOfTheFileStore(@TempDir Path dir) throws Exception {
    byte[] state = randomState(100_000, 7);
    MemorySnapshotStorage memory = new MemorySnapshotStorage();
    try (FileSnapshotStorage file = FileSnapshotStorage.open(dir)) {
      SnapshotInfo inMemory = memory.save(12, 3, MEMBERS, writing(state));
      SnapshotInfo onDisk = file.save(12, 3, MEMBERS, writing(state));

      assertEquals(onDisk, inMemory);
      assertArrayEquals(readStored(file, onDisk, 65_536), readStored(memory, inMemory, 65_536));
    }
  }
}
