package io.raftdb.bench;

import io.raftdb.RaftClient;
import io.raftdb.RaftNode;
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
 * What client sessions cost: 128-byte commands on the three-node in-memory group, either
 * proposed straight on the leader ({@code raw}, as {@link SimCommitThroughputBenchmark}) or sent
 * by a {@link RaftClient} in its session ({@code session}: framing, the session table, the reply
 * cache, a request and a reply message per command), over the simulated network or TCP on
 * loopback. A command counts once its caller has the leader's result.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS_REFLECT, JvmFlags.EXPORT_NIO,
    JvmFlags.EXPORT_REF, JvmFlags.NO_ANALYTICS, JvmFlags.NO_BANNER, JvmFlags.QUIET_CHRONICLE,
    "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SessionCommitThroughputBenchmark {
  private static final byte[] COMMAND = new byte[128];

  /** How many commands may be outstanding at once. */
  @Param({"1", "64"})
  public int inFlight;

  /** Straight on the leader, or through a client session. */
  @Param({"raw", "session"})
  public String path;

  /** The network between the nodes and to the client: simulated, or TCP over loopback. */
  @Param({"sim", "tcp"})
  public String transport;

  /**
   * Where each node applies commands: on an apply thread of its own ({@code RaftConfig.defaults()})
   * or, for comparison in the same pass, {@code -p apply=loop}: on its event loop
   * ({@link io.raftdb.RaftConfig#applyOnEventLoop()}).
   */
  @Param({"thread"})
  public String apply;

  private SimGroup group;
  private RaftNode leader;
  private RaftClient client;
  private InFlightWindow window;

  @Setup(Level.Trial)
  public void start() throws Exception {
    group = new SimGroup(3, null, SimGroup.config("memory", apply),
        SimGroup.DiscardingStateMachine::new, transport);
    leader = group.awaitLeader();
    client = group.client(Math.max(inFlight, 1));
    client.submit(COMMAND).get(30, TimeUnit.SECONDS); // registers the session, finds the leader
    window = new InFlightWindow(inFlight);
  }

  @TearDown(Level.Iteration)
  public void drain() throws InterruptedException {
    window.drain(); // every outstanding operation of this iteration
  }

  @TearDown(Level.Trial)
  public void stop() {
    group.close();
  }

  /** One command, admitted when fewer than {@link #inFlight} are outstanding. */
  @Benchmark
  public void commit() throws InterruptedException {
    window.submit(() -> "raw".equals(path) ? leader.submit(COMMAND) : client.submit(COMMAND));
  }
}
