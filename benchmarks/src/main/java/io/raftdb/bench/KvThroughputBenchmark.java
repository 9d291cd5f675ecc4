package io.raftdb.bench;

import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.kv.ByteString;
import io.raftdb.kv.KvClient;
import io.raftdb.kv.KvCodec;
import io.raftdb.kv.KvCommand;
import io.raftdb.kv.KvQuery;
import io.raftdb.kv.KvRequest;
import io.raftdb.kv.KvStateMachine;
import java.util.concurrent.CompletableFuture;
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
 * The key-value store as its users drive it: a {@link KvClient} in a client session against the
 * three-node in-memory group running {@link KvStateMachine}, over the simulated network.
 * {@code put} writes 128-byte commands (a 9-byte key of 10,000, a 112-byte value) through the
 * log, counted once the client has the leader's reply; {@code get} reads those keys with
 * linearizable reads (the leader's read index, never the log). {@code -p path=raw} sends the same
 * encoded requests straight to the leader ({@code RaftNode.submit} and {@code query}: no client,
 * no session), so the two paths side by side show what the session layer costs the store.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_OPENS_REFLECT, JvmFlags.EXPORT_NIO,
    JvmFlags.EXPORT_REF, JvmFlags.NO_ANALYTICS, JvmFlags.NO_BANNER, JvmFlags.QUIET_CHRONICLE,
    "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class KvThroughputBenchmark {
  private static final int KEYS = 10_000;
  private static final ByteString VALUE = ByteString.copyOf(new byte[112]);

  /** How many requests may be outstanding at once. */
  @Param({"1", "64"})
  public int inFlight;

  /** The operation measured. */
  @Param({"put", "get"})
  public String op;

  /** Through a {@link KvClient} session, or straight on the leader. */
  @Param({"session", "raw"})
  public String path;

  private final KvCodec codec = new KvCodec();
  private SimGroup group;
  private RaftNode leader;
  private KvClient kv;
  private InFlightWindow window;
  private ByteString[] keys;
  private int next;

  @Setup(Level.Trial)
  public void start() throws Exception {
    if (!"session".equals(path) && !"raw".equals(path)) {
      throw new IllegalArgumentException("path must be session or raw, got " + path);
    }
    group = new SimGroup(3, null, KvStateMachine::new, "sim");
    leader = group.awaitLeader();
    kv = KvClient.of(group.client(Math.max(inFlight, 64)));
    keys = new ByteString[KEYS];
    InFlightWindow load = new InFlightWindow(64);
    for (int i = 0; i < KEYS; i++) {
      ByteString key = ByteString.utf8(String.format("key-%05d", i));
      keys[i] = key;
      load.submit(() -> kv.putAsync(key, VALUE));
    }
    load.drain();
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

  /** One request, admitted when fewer than {@link #inFlight} are outstanding. */
  @Benchmark
  public void request() throws InterruptedException {
    ByteString key = keys[next++ % KEYS];
    KvRequest<?> request = "put".equals(op) ? KvCommand.put(key, VALUE) : KvQuery.get(key);
    window.submit(() -> "raw".equals(path) ? onLeader(request) : kv.executeAsync(request));
  }

  private CompletableFuture<byte[]> onLeader(KvRequest<?> request) {
    byte[] bytes = codec.encode(request);
    return request instanceof KvQuery ? leader.query(bytes, ReadConsistency.LINEARIZABLE)
        : leader.submit(bytes);
  }
}
