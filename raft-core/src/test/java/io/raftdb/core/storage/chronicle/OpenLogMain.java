package io.raftdb.core.storage.chronicle;

import io.raftdb.message.LogEntry;
import io.raftdb.storage.StorageException;
import java.nio.file.Path;
import java.util.List;

/**
 * A child JVM for {@link ChronicleFlagsSelfTest}: opens a log, appends and syncs one entry, and
 * prints {@code OK}, or the storage error's message with exit code 3.
 */
public final class OpenLogMain {
  private OpenLogMain() {}

  /** Usage: {@code OpenLogMain <log directory>}. */
  public static void main(String[] args) {
    try (ChronicleLogStorage log = ChronicleLogStorage.builder(Path.of(args[0]))
        .blockSize(1 << 20).open()) {
      log.append(List.of(LogEntry.command(log.lastIndex() + 1, 1, new byte[] {1, 2, 3})));
      log.sync();
      System.out.println("OK " + log.lastIndex());
    } catch (StorageException e) {
      System.out.println("FAILED " + e.getMessage());
      System.exit(3);
    }
  }
}
