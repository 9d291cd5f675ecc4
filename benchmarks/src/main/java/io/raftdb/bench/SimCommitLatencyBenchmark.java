package io.raftdb.bench;

import io.raftdb.RaftNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Commit latency of a three-node group, on the zero-delay simulated network or TCP on loopback,
 * with in-memory logs or Chronicle Queue (synced): one proposer, one 128-byte command at a time,
 * from submit to the leader's apply. {@code RaftConfig.defaults()}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS_REFLECT, JvmFlags.EXPORT_NIO,
    JvmFlags.EXPORT_REF, JvmFlags.NO_ANALYTICS, JvmFlags.NO_BANNER, JvmFlags.QUIET_CHRONICLE,
    "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SimCommitLatencyBenchmark {
  private static final byte[] COMMAND = new byte[128];

  /** The transport between the nodes: in-process, or TCP on loopback. */
  @Param({"sim", "tcp"})
  public String transport;

  /**
   * Where each node applies commands: on an apply thread of its own ({@code RaftConfig.defaults()})
   * or, for comparison in the same pass, {@code -p apply=loop}: on its event loop
   * ({@link io.raftdb.RaftConfig#applyOnEventLoop()}).
   */
  @Param({"thread"})
  public String apply;

  /**
   * Where the nodes keep their logs: in memory, or in Chronicle Queue on disk with sync (also
   * {@code -p log=chronicle-sync-on-loop}: Chronicle synced on the event loops, as before
   * pipelined persistence, for comparison in the same pass).
   */
  @Param({"memory", "chronicle"})
  public String log;

  private Path dataDirectory;
  private SimGroup group;
  private RaftNode leader;

  @Setup(Level.Trial)
  public void start() throws InterruptedException, IOException {
    if (log.startsWith("chronicle")) {
      dataDirectory = Files.createTempDirectory("raftdb-latency-bench");
    }
    group = new SimGroup(3, dataDirectory, SimGroup.config(log, apply),
        SimGroup.DiscardingStateMachine::new, transport);
    leader = group.awaitLeader();
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException {
    group.close();
    if (dataDirectory != null) {
      TempFiles.deleteTree(dataDirectory);
    }
  }

  /** One command, submitted and waited for. */
  @Benchmark
  public byte[] commit() {
    return leader.submit(COMMAND).join();
  }
}
