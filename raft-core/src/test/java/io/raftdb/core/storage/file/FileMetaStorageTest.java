package io.raftdb.core.storage.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.storage.HardState;
import io.raftdb.storage.StorageException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileMetaStorage}: atomic replacement, torn and corrupt files, failed writes. */
class FileMetaStorageTest {
  @TempDir
  Path dir;

  private Path file() {
    return dir.resolve("node").resolve("hard-state");
  }

  @Test
  void aMissingFileMeansTheInitialState() {
    try (FileMetaStorage store = FileMetaStorage.open(file())) {
      assertEquals(HardState.INITIAL, store.load());
    }
  }

  @Test
  void theLastSavedStateSurvivesAReopen() {
    try (FileMetaStorage store = FileMetaStorage.open(file())) {
      store.save(new HardState(3, NodeId.of("n2")));
      store.save(new HardState(5, NodeId.of("node-with-a-much-longer-name.example")));
    }
    try (FileMetaStorage store = FileMetaStorage.open(file())) {
      assertEquals(new HardState(5, NodeId.of("node-with-a-much-longer-name.example")),
          store.load());
      store.save(new HardState(6, null));
    }
    try (FileMetaStorage store = FileMetaStorage.open(file())) {
      assertEquals(new HardState(6, null), store.load());
    }
  }

  @Test
  void aTornTemporaryFileFromACutShortSaveIsIgnored() throws Exception {
    try (FileMetaStorage store = FileMetaStorage.open(file())) {
      store.save(new HardState(7, NodeId.of("n1")));
    }
    Path temp = file().resolveSibling("hard-state.tmp");
    byte[] whole = Files.readAllBytes(file());
    Files.write(temp, Arrays.copyOf(whole, whole.length / 2));
    try (FileMetaStorage store = FileMetaStorage.open(file())) {
      assertEquals(new HardState(7, NodeId.of("n1")), store.load());
    }
    assertFalse(Files.exists(temp));
  }

  @Test
  void aTornStateFileStopsOpenWithAnErrorNamingIt() throws Exception {
    try (FileMetaStorage store = FileMetaStorage.open(file())) {
      store.save(new HardState(7, NodeId.of("n1")));
    }
    byte[] whole = Files.readAllBytes(file());
    Files.write(file(), Arrays.copyOf(whole, whole.length - 3));
    StorageException e = assertThrows(StorageException.class, () -> FileMetaStorage.open(file()));
    assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
  }

  @Test
  void aFlippedBitFailsTheChecksum() throws Exception {
    try (FileMetaStorage store = FileMetaStorage.open(file())) {
      store.save(new HardState(7, NodeId.of("n1")));
    }
    byte[] bytes = Files.readAllBytes(file());
    bytes[8] ^= 0x10; // inside the term
    Files.write(file(), bytes);
    StorageException e = assertThrows(StorageException.class, () -> FileMetaStorage.open(file()));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
  }

  @Test
  void anOversizedFileIsRejectedWithoutReadingIt() throws Exception {
    Files.createDirectories(file().getParent());
    Files.write(file(), new byte[1 << 20]);
    StorageException e = assertThrows(StorageException.class, () -> FileMetaStorage.open(file()));
    assertTrue(e.getMessage().contains("at most"), e.getMessage());
  }

  @Test
  void aFailedWriteKeepsThePreviousStateInMemoryAndOnDisk() {
    HardState saved = new HardState(4, NodeId.of("n3"));
    try (FileMetaStorage store = FileMetaStorage.open(file())) {
      store.save(saved);
    }
    FileMetaStorage.ChannelOpener tornWrites =
        (path, options) -> new FailingFileChannel(FileChannel.open(path, options), true, false);
    try (FileMetaStorage store = FileMetaStorage.open(file(), tornWrites)) {
      StorageException e = assertThrows(StorageException.class,
          () -> store.save(new HardState(9, NodeId.of("n1"))));
      assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
      assertEquals(saved, store.load());
    }
    try (FileMetaStorage store = FileMetaStorage.open(file())) {
      assertEquals(saved, store.load());
    }
  }

  @Test
  void aFailedForceIsReportedAndTheStateIsNotReplaced() {
    HardState saved = new HardState(4, NodeId.of("n3"));
    try (FileMetaStorage store = FileMetaStorage.open(file())) {
      store.save(saved);
    }
    FileMetaStorage.ChannelOpener failingForce =
        (path, options) -> new FailingFileChannel(FileChannel.open(path, options), false, true);
    try (FileMetaStorage store = FileMetaStorage.open(file(), failingForce)) {
      assertThrows(StorageException.class, () -> store.save(new HardState(9, null)));
      assertEquals(saved, store.load());
    }
    try (FileMetaStorage store = FileMetaStorage.open(file())) {
      assertEquals(saved, store.load(), "the unforced temporary file was never renamed");
    }
  }
}
