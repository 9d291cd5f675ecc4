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
 * Commit throughput of a three-node group on a zero-delay simulated network, 128-byte commands,
 * with a bounded number of proposals outstanding, on in-memory logs or on Chronicle Queue logs
 * with sync (pipelined: each sync covers everything written before it). A command counts once
 * the leader has applied it. {@code RaftConfig.defaults()}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS_REFLECT, JvmFlags.EXPORT_NIO,
    JvmFlags.EXPORT_REF, JvmFlags.NO_ANALYTICS, JvmFlags.NO_BANNER, JvmFlags.QUIET_CHRONICLE,
    "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SimCommitThroughputBenchmark {
  private static final byte[] COMMAND = new byte[128];

  /** How many proposals may be waiting for their commit at once. */
  @Param({"1", "64", "256"})
  public int inFlight;

  /**
   * Where the nodes keep their logs: in memory, or in Chronicle Queue on disk with sync (also
   * {@code -p log=chronicle-sync-on-loop}: Chronicle synced on the event loops, as before
   * pipelined persistence, for comparison in the same pass).
   */
  @Param({"memory", "chronicle"})
  public String log;

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

  private Path dataDirectory;

  private SimGroup group;
  private RaftNode leader;
  private InFlightWindow window;

  @Setup(Level.Trial)
  public void start() throws InterruptedException, IOException {
    if (log.startsWith("chronicle")) {
      dataDirectory = Files.createTempDirectory("raftdb-commit-bench");
    }
    group = new SimGroup(3, dataDirectory, SimGroup.config(log, apply),
        SimGroup.DiscardingStateMachine::new, transport);
    leader = group.awaitLeader();
    window = new InFlightWindow(inFlight);
  }

  @TearDown(Level.Iteration)
  public void drain() throws InterruptedException {
    window.drain(); // every outstanding operation of this iteration
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException {
    group.close();
    if (dataDirectory != null) {
      TempFiles.deleteTree(dataDirectory);
    }
  }

  /** One proposal, admitted when fewer than {@link #inFlight} are outstanding. */
  @Benchmark
  public void commit() throws InterruptedException {
    window.submit(() -> leader.submit(COMMAND));
  }
}
