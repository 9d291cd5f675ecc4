package io.raftdb.bench;

import io.raftdb.core.storage.chronicle.ChronicleLogStorage;
import io.raftdb.message.LogEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Raw append rate of the Chronicle Queue log, 128-byte entries, in entries per second: without
 * sync, with a sync after every entry, and with one sync per batch of 64 (group commit). Old
 * segments are compacted as the run goes so that the disk does not fill.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ChronicleAppendBenchmark.BATCH)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS_REFLECT, JvmFlags.EXPORT_NIO,
    JvmFlags.EXPORT_REF, JvmFlags.NO_ANALYTICS, JvmFlags.NO_BANNER, JvmFlags.QUIET_CHRONICLE})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class ChronicleAppendBenchmark {
  static final int BATCH = 64;
  private static final long SEGMENT_ENTRIES = 1 << 18;

  /** When to sync: never, after every entry, or once per batch of 64. */
  @Param({"none", "perEntry", "perBatch"})
  public String sync;

  private Path dir;
  private ChronicleLogStorage log;
  private final byte[] payload = new byte[128 - 24];
  private long nextIndex = 1;

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("raftdb-append-bench");
    log = ChronicleLogStorage.builder(dir).segmentMaxEntries(SEGMENT_ENTRIES).open();
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    log.close();
    TempFiles.deleteTree(dir);
  }

  /** Appends {@value #BATCH} entries, synced as the mode says. */
  @Benchmark
  public void append() {
    if ("perEntry".equals(sync)) {
      for (int i = 0; i < BATCH; i++) {
        log.append(List.of(LogEntry.command(nextIndex++, 1, payload)));
        log.sync();
      }
    } else {
      List<LogEntry> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        batch.add(LogEntry.command(nextIndex++, 1, payload));
      }
      log.append(batch);
      if ("perBatch".equals(sync)) {
        log.sync();
      }
    }
    if (nextIndex - log.firstIndex() > 4 * SEGMENT_ENTRIES) {
      log.compactPrefix(nextIndex - 2 * SEGMENT_ENTRIES);
    }
  }
}
