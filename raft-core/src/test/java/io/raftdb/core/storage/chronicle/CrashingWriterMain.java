package io.raftdb.core.storage.chronicle;

import io.raftdb.message.LogEntry;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child JVM of {@link ChronicleCrashTest}: works a log like a busy follower (appends with a
 * sync per batch, truncations, compactions, snapshot resets, small segments so that rolls are
 * frequent) until it is killed. It tells the parent what it may rely on, one line each:
 * <ul>
 *   <li>{@code S first last term}: entries first..last of that term are synced (acknowledged);
 *   <li>{@code T from}: about to truncate from {@code from} (printed before doing it);
 *   <li>{@code R index term}: about to reset to a snapshot at index@term (printed before).
 * </ul>
 * Every payload is a function of (index, term), so the parent can tell any garbage.
 */
public final class CrashingWriterMain {
  private CrashingWriterMain() {}

  /** The payload of entry index@term: verifiable without knowing what was written. */
  static byte[] payload(long index, long term) {
    int length = (int) ((index * 7 + term * 13) % 200) + 16;
    byte[] payload = new byte[length];
    long x = index * 0x9E3779B97F4A7C15L ^ term;
    for (int i = 0; i < length; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      payload[i] = (byte) (x >>> 56);
    }
    return payload;
  }

  /** Usage: {@code CrashingWriterMain <log directory> <seed>}. */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
    Random random = new Random(Long.parseLong(args[1]));
    try (ChronicleLogStorage log = ChronicleLogStorage.builder(Path.of(args[0]))
        .blockSize(1 << 20)
        .segmentMaxEntries(20 + random.nextInt(60))
        .verifyAllRecordsOnOpen(random.nextBoolean())
        .open()) {
      long term = log.term(log.lastIndex()) + 1;
      out.println("READY " + log.firstIndex() + " " + log.lastIndex());
      out.flush();
      for (long step = 0; step < 10_000_000; step++) {
        int dice = random.nextInt(100);
        if (dice < 80) {
          long first = log.lastIndex() + 1;
          int count = 1 + random.nextInt(20);
          List<LogEntry> batch = new ArrayList<>(count);
          for (long i = first; i < first + count; i++) {
            batch.add(LogEntry.command(i, term, payload(i, term)));
          }
          log.append(batch);
          log.sync();
          out.println("S " + first + " " + (first + count - 1) + " " + term);
          out.flush();
        } else if (dice < 90 && log.lastIndex() >= log.firstIndex()) {
          long from = Math.max(log.firstIndex(), log.lastIndex() - random.nextInt(40));
          out.println("T " + from);
          out.flush();
          log.truncateSuffix(from);
          term++; // a new leader's entries replace the conflicting ones
        } else if (dice < 98 && log.lastIndex() > log.firstIndex() + 10) {
          log.compactPrefix(log.lastIndex() - 10 - random.nextInt(50));
        } else if (dice >= 98) {
          long index = log.lastIndex() + random.nextInt(30);
          if (index > 0) {
            term++;
            out.println("R " + index + " " + term);
            out.flush();
            log.reset(index, term);
            log.sync();
          }
        }
      }
    }
  }
}
