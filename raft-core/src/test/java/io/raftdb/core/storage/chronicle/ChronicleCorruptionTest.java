package io.raftdb.core.storage.chronicle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.message.LogEntry;
import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged segment files (issue 3, item 3): a corrupt record in the middle of the log stops the
 * open with an error naming file and index, never silently dropping entries; a torn, unsynced
 * tail at the very end is dropped and the log goes on. Bytes are flipped in place on disk.
 */
class ChronicleCorruptionTest {
  @TempDir
  Path dir;

  private Path log() {
    return dir.resolve("log");
  }

  private ChronicleLogStorage open(boolean verifyAll) {
    return ChronicleLogStorage.builder(log()).blockSize(1 << 20).segmentMaxEntries(40)
        .verifyAllRecordsOnOpen(verifyAll).open();
  }

  /** A payload that can be found in the file: "entry-000042-" then filler. */
  private static byte[] marked(long index) {
    byte[] payload = new byte[40];
    byte[] mark = String.format("entry-%06d-", index).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(mark, 0, payload, 0, mark.length);
    for (int i = mark.length; i < payload.length; i++) {
      payload[i] = (byte) ('a' + i % 26);
    }
    return payload;
  }

  private void writeEntries(long count) {
    try (ChronicleLogStorage log = open(true)) {
      List<LogEntry> batch = new ArrayList<>();
      for (long i = 1; i <= count; i++) {
        batch.add(LogEntry.command(i, 1 + i / 30, marked(i)));
      }
      log.append(batch);
      log.sync();
    }
  }

  /** Flips one payload byte of entry {@code index}; returns the file it is in. */
  private Path flipPayloadByteOf(long index) throws IOException {
    byte[] mark = String.format("entry-%06d-", index).getBytes(StandardCharsets.US_ASCII);
    List<Path> files;
    try (Stream<Path> list = Files.list(log())) {
      files = list.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
    }
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      int at = indexOf(bytes, mark);
      if (at >= 0) {
        int target = at + mark.length + 5; // inside the filler: only the CRC can tell
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.write(ByteBuffer.wrap(new byte[] {(byte) (bytes[target] ^ 0x01)}), target);
        }
        return file;
      }
    }
    throw new AssertionError("entry " + index + " not found in " + files);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void aFlippedByteInTheMiddleOfTheLogStopsOpenNamingFileAndIndex() throws Exception {
    writeEntries(100);
    Path file = flipPayloadByteOf(57);
    StorageException e = assertThrows(StorageException.class, () -> open(true));
    assertTrue(e.getMessage().contains("index 57"), e.getMessage());
    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void aFlippedByteInTheNewestSegmentWithGoodRecordsAfterItIsCorruptionNotATornTail()
      throws Exception {
    writeEntries(100); // segments of 40: the newest holds 81..100
    Path file = flipPayloadByteOf(90);
    StorageException e = assertThrows(StorageException.class, () -> open(true));
    assertTrue(e.getMessage().contains("index 90"), e.getMessage());
    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
  }

  @Test
  void withLastRecordChecksOnlyOpenSucceedsButReadingTheBadRecordFailsNamingIt()
      throws Exception {
    writeEntries(100);
    Path file = flipPayloadByteOf(57);
    try (ChronicleLogStorage log = open(false)) {
      assertEquals(100, log.lastIndex());
      assertEquals(List.of(LogEntry.command(56, 2, marked(56))), log.entries(56, 57, 0));
      StorageException e = assertThrows(StorageException.class, () -> log.entries(50, 60, 1000));
      assertTrue(e.getMessage().contains("index 57"), e.getMessage());
      assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
    }
  }

  @Test
  void aBadLastRecordOfAnOlderSegmentStopsOpenInBothModes() throws Exception {
    writeEntries(100); // the second segment ends at 80 and is followed by the third
    flipPayloadByteOf(80);
    for (boolean verifyAll : new boolean[] {true, false}) {
      StorageException e = assertThrows(StorageException.class, () -> open(verifyAll));
      assertTrue(e.getMessage().contains("index 80"), verifyAll + ": " + e.getMessage());
    }
  }

  @ParameterizedTest(name = "verify all records: {0}")
  @ValueSource(booleans = {true, false})
  void aTornTailIsDroppedAndTheLogGoesOn(boolean verifyAll) throws Exception {
    writeEntries(100);
    flipPayloadByteOf(98);
    flipPayloadByteOf(99);
    flipPayloadByteOf(100);
    try (ChronicleLogStorage log = open(verifyAll)) {
      assertEquals(97, log.lastIndex());
      assertEquals(List.of(LogEntry.command(97, 4, marked(97))), log.entries(97, 98, 0));
      log.append(List.of(LogEntry.command(98, 5, marked(98))));
      log.sync();
    }
    try (ChronicleLogStorage log = open(true)) {
      assertEquals(98, log.lastIndex(), "the new segment shadows the torn records");
      assertEquals(5, log.term(98));
    }
  }

  @Test
  void aDamagedSegmentHeaderStopsOpenNamingTheFile() throws Exception {
    writeEntries(100);
    Path second;
    try (Stream<Path> list = Files.list(log())) {
      second = list.filter(p -> p.toString().endsWith(".cq4")).sorted().toList().get(1);
    }
    byte[] bytes = Files.readAllBytes(second);
    byte[] magic = {0x52, 0x44, 0x42, 0x53};
    int at = indexOf(bytes, magic);
    try (FileChannel channel = FileChannel.open(second, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(new byte[] {(byte) (bytes[at + 10] ^ 0x40)}), at + 10);
    }
    StorageException e = assertThrows(StorageException.class, () -> open(false));
    assertTrue(e.getMessage().contains(second.getFileName().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("segment header"), e.getMessage());
  }
}
