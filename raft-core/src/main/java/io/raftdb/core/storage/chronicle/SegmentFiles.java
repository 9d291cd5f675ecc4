package io.raftdb.core.storage.chronicle;

import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.Wires;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The segment files of a log directory as files: their names, their clean-up, their fsyncs. */
final class SegmentFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentFiles.class);

  /**
   * Up to 2^32 records per cycle; file names {@code yyyyMMdd-HH'F'.cq4} sort correctly for about
   * 70 million cycles. Persisted in metadata.cq4t: never change it for an existing log.
   */
  static final RollCycle ROLL_CYCLE = RollCycles.FAST_HOURLY;
  static final String SUFFIX = ".cq4";

  private static final DateTimeFormatter FILE_NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HH'F'").withZone(ZoneOffset.UTC);

  private SegmentFiles() {}

  /** The file that holds {@code cycle} (the name Chronicle gives it under epoch 0, UTC). */
  static Path fileOf(Path dir, int cycle) {
    return dir.resolve(FILE_NAME.format(Instant.ofEpochMilli(
        (long) cycle * ROLL_CYCLE.lengthInMillis())) + SUFFIX);
  }

  /**
   * A kill during the creation of a cycle file leaves it with an incomplete first header; the
   * next reader would block in Chronicle for its whole timeout (10 s). Such a file holds no data
   * (the store writes nothing into a cycle before its creation completes), so it is deleted. Only
   * the newest file can be in this state: files are created one after the other.
   */
  static void removeHalfCreatedNewest(Path dir) {
    List<Path> cycleFiles;
    try (Stream<Path> files = Files.list(dir)) {
      cycleFiles = files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted()
          .toList();
    } catch (IOException e) {
      throw new StorageException("cannot list the log directory " + dir, e);
    }
    if (cycleFiles.isEmpty()) {
      return;
    }
    Path newest = cycleFiles.get(cycleFiles.size() - 1);
    try (FileChannel channel = FileChannel.open(newest, StandardOpenOption.READ)) {
      ByteBuffer first = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      while (first.hasRemaining() && channel.read(first) >= 0) {
        // keep reading until 4 bytes or the end of the file
      }
      if (first.hasRemaining() || !Wires.isReady(first.getInt(0))) {
        LOG.warn("deleting {}: its creation was interrupted (no complete header), it holds no "
            + "entries", newest);
        Files.delete(newest);
      }
    } catch (IOException e) {
      throw new StorageException("cannot check the newest segment file " + newest, e);
    }
  }

  /** Forces a file nobody writes through a channel of ours, such as the newest one at open. */
  static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(false);
    }
  }

  /** Forces the directory, so that a file created or renamed in it survives a power loss. */
  static void forceDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
