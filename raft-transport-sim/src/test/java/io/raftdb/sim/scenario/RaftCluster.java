package io.raftdb.sim.scenario;

import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.LogPosition;
import io.raftdb.NodeClosedException;
import io.raftdb.NodeId;
import io.raftdb.NodeStatus;
import io.raftdb.NotLeaderException;
import io.raftdb.Proposal;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.message.AppendEntries;
import io.raftdb.message.EntryKind;
import io.raftdb.message.LogEntry;
import io.raftdb.message.RaftMessage;
import io.raftdb.sim.SimNetwork;
import io.raftdb.sim.SimTransportFactory;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.transport.Transport;
import io.raftdb.transport.TransportFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group of RaftDB nodes on a {@link SimNetwork}: the Java counterpart of the labs'
 * {@code raft/config.go}. Servers are numbered {@code 0..n-1} as in the labs; each has a disk
 * (see {@link StorageKind}) that outlives its incarnations, so {@link #crash} and
 * {@link #restart} behave like {@code crash1} and {@code start1}.
 *
 * <p>The checks are the labs': {@link #checkOneLeader}, {@link #checkTerms},
 * {@link #checkNoLeader}, {@link #nCommitted}, {@link #waitCommitted} ({@code wait}) and
 * {@link #one}, with the same bounds. A server "has committed" an index when its state machine
 * applied a command there ({@link AppliedLog}); RaftDB's no-op entries are never applied, so the
 * index checks become "strictly increasing, gaps only for no-ops"
 * ({@link #assertOnlyNoOpsBetween}).
 *
 * <p>Snapshots: each node has a snapshot store on its disk and a {@link RecordingStateMachine}
 * that supports snapshots; they are taken by RaftDB's policy, which a test sets through the
 * {@code tuning} of the nodes' {@link RaftConfig} (the default threshold is too high for any
 * scenario to reach), or by the state machine from inside {@code apply} as the labs' applier
 * calls {@code Snapshot(k)} (see {@link #RaftCluster(int, boolean, StorageKind, long,
 * UnaryOperator, int)}). Every snapshot taken or restored is checked against its index
 * ({@link CheckedSnapshotStorage}). {@link #persistedRaftStateBytes} measures what the labs'
 * {@code LogSize} bounds: the log with the term and vote.
 *
 * <p>A tap on every node's transport tells the appliers which indices were sent as no-ops, so
 * that an index every server skips without one is reported ({@link AppliedLog}).
 *
 * <p>Threading: the test thread drives faults ({@code crash}, {@code restart}, {@code connect},
 * {@code disconnect}); any thread may call the checks, {@link #start(int, long)} and the counters,
 * as the labs' client goroutines do.
 */
final class RaftCluster implements AutoCloseable {
  /** The labs' {@code RaftElectionTimeout}: used for sleeps meant to be "long enough to elect". */
  static final Duration LABS_ELECTION_TIMEOUT = Duration.ofSeconds(1);
  /** How often an idle leader sends heartbeats: 10 per second, the labs' limit. */
  static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(100);
  /** RaftDB's minimum election timeout in these tests; each wait is drawn from [ET, 2 ET). */
  static final Duration ELECTION_TIMEOUT = Duration.ofMillis(300);
  /** The labs' per-test limit, checked by {@link #end()} (JUnit enforces it too). */
  static final Duration TEST_TIME_LIMIT = Duration.ofSeconds(120);

  /** How long a leader may take to give a proposal its log position before we call it lost. */
  private static final long POSITION_TIMEOUT_MS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(RaftCluster.class);

  private final int n;
  private final List<NodeId> ids = new ArrayList<>();
  private final Map<NodeId, String> addresses = new LinkedHashMap<>();
  private final long seed;
  private final Random random;
  private final SimNetwork network;
  private final StorageKind storage;
  private final List<NodeDisk> disks = new ArrayList<>();
  private final AppliedLog applied;
  private final long createdNanos = System.nanoTime();
  private final AtomicLong lostPositions = new AtomicLong();
  private final UnaryOperator<RaftConfig> tuning;
  /** Application snapshots every this many indices, or 0 for none. */
  private final int snapshotEvery;
  private volatile TappedTransport.Tap tap;
  /** Tells the appliers of the no-ops sent, then passes the message to the test's tap. */
  private final TappedTransport.Tap wireWatch = this::watch;

  /** Guarded by {@code this}: the live incarnation of each server, or null when crashed. */
  private final RaftNode[] nodes;
  /** Guarded by {@code this}: the labs' {@code connected[]}. */
  private final boolean[] connected;
  private final int[] incarnations;

  private volatile boolean finished;
  private String description = "";
  private long beginNanos;
  private long beginRpcs;
  private long beginBytes;
  private long beginMaxIndex;

  /**
   * Starts {@code n} servers and connects them (the labs' {@code make_config}), with the
   * network reliable or not and long delays on, as the Raft harness always has them.
   */
  RaftCluster(int n, boolean reliable, StorageKind storage, long seed) {
    this(n, reliable, storage, seed, UnaryOperator.identity());
  }

  /**
   * As {@link #RaftCluster(int, boolean, StorageKind, long)}, with every node's settings passed
   * through {@code tuning} after the harness's own (for example to set a snapshot threshold).
   */
  RaftCluster(int n, boolean reliable, StorageKind storage, long seed,
      UnaryOperator<RaftConfig> tuning) {
    this(n, reliable, storage, seed, tuning, 0);
  }

  /**
   * As {@link #RaftCluster(int, boolean, StorageKind, long, UnaryOperator)}, and with
   * {@code snapshotEvery > 0} every state machine asks its node for a snapshot from inside
   * {@code apply} every {@code snapshotEvery} indices (see
   * {@link RecordingStateMachine#snapshotEvery}), as the labs' snapshot applier does.
   */
  RaftCluster(int n, boolean reliable, StorageKind storage, long seed,
      UnaryOperator<RaftConfig> tuning, int snapshotEvery) {
    if (n < 1) {
      throw new IllegalArgumentException("a cluster needs at least one server, got " + n);
    }
    this.n = n;
    this.seed = seed;
    this.random = new Random(seed);
    this.storage = storage;
    this.tuning = tuning;
    this.snapshotEvery = snapshotEvery;
    this.nodes = new RaftNode[n];
    this.connected = new boolean[n];
    this.incarnations = new int[n];
    for (int i = 0; i < n; i++) {
      NodeId id = NodeId.of("s" + i);
      ids.add(id);
      // With the network passed as an option the sim transport ignores addresses.
      addresses.put(id, "scenario");
      disks.add(storage.newDisk(id));
    }
    this.applied = new AppliedLog(ids);
    this.network = new SimNetwork(seed);
    network.setReliable(reliable);
    network.setLongDelays(true);
    network.setCallReordering(true); // labrpc runs each call on its own goroutine
    try {
      for (int i = 0; i < n; i++) {
        restart(i);
      }
      for (int i = 0; i < n; i++) {
        connect(i);
      }
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  // ------------------------------------------------------------------ servers and faults

  /** The number of servers. */
  int size() {
    return n;
  }

  /** The id of server {@code i}. */
  NodeId id(int i) {
    return ids.get(i);
  }

  /** The seeded randomness of the test thread (the labs' {@code rand}). */
  Random random() {
    return random;
  }

  /** The simulated network. */
  SimNetwork network() {
    return network;
  }

  /** The live incarnation of server {@code i}, or {@code null} if it is crashed. */
  synchronized RaftNode node(int i) {
    return nodes[i];
  }

  /** Whether server {@code i} is marked connected. */
  synchronized boolean isConnected(int i) {
    return connected[i];
  }

  /** The status of server {@code i}, or {@code null} if it is crashed. */
  NodeStatus status(int i) {
    RaftNode node = node(i);
    return node == null ? null : node.status();
  }

  /** Connects server {@code i} to every connected server (the labs' {@code connect}). */
  void connect(int i) {
    synchronized (this) {
      connected[i] = true;
    }
    network.connect(ids.get(i));
  }

  /** Cuts server {@code i} off from everybody (the labs' {@code disconnect}). */
  void disconnect(int i) {
    synchronized (this) {
      connected[i] = false;
    }
    network.disconnect(ids.get(i));
  }

  /**
   * Crashes server {@code i} (the labs' {@code crash1}) at this instant: isolates it, keeps what
   * its disk has made durable by now, and closes it; whatever it still syncs while closing is
   * lost, so a crash can fall between a reply sent and its data synced. Does nothing more if it
   * is already crashed.
   */
  void crash(int i) {
    disconnect(i);
    RaftNode node;
    synchronized (this) {
      node = nodes[i];
      nodes[i] = null;
    }
    if (node != null) {
      disks.get(i).crashing();
      node.close();
      disks.get(i).crashed();
    }
  }

  /**
   * (Re)starts server {@code i} from what its disk holds, disconnected (the labs'
   * {@code start1}); call {@link #connect} afterwards. A live server is crashed first.
   */
  void restart(int i) {
    crash(i);
    int incarnation;
    synchronized (this) {
      incarnation = ++incarnations[i];
    }
    NodeStores stores = disks.get(i).open();
    RaftNode node;
    try {
      // Found by name as an embedding program would, then tapped (see setTap).
      Transport transport = new TappedTransport(
          TransportFactory.named(SimTransportFactory.NAME).create(ids.get(i), addresses,
              Map.of(SimTransportFactory.NETWORK_OPTION, network)),
          ids.get(i), () -> wireWatch);
      RecordingStateMachine machine = new RecordingStateMachine(applied, i);
      node = RaftNode.builder()
          .id(ids.get(i))
          .members(ids)
          .stateMachine(machine)
          .transport(transport)
          .logStorage(stores.log())
          .metaStorage(stores.meta())
          .snapshotStorage(new CheckedSnapshotStorage(stores.snapshots(), applied, i))
          .config(config(i, incarnation))
          .build();
      if (snapshotEvery > 0) {
        machine.snapshotEvery(snapshotEvery, node);
      }
      node.start();
    } catch (RuntimeException e) {
      disks.get(i).crashed();
      throw e;
    }
    synchronized (this) {
      nodes[i] = node;
    }
  }

  /**
   * Node settings: the labs' heartbeat budget, short elections, timers seeded per incarnation,
   * then the test's tuning.
   */
  private RaftConfig config(int i, int incarnation) {
    long nodeSeed = seed * 1_000_003L + i * 7_919L + incarnation;
    return tuning.apply(RaftConfig.defaults().toBuilder()
        .heartbeatInterval(HEARTBEAT_INTERVAL)
        .electionTimeout(ELECTION_TIMEOUT)
        .randomSeed(nodeSeed == 0 ? 1 : nodeSeed)
        // The labs' commands are small; the test Chronicle logs' 1 MiB blocks hold 256 KiB.
        .maxCommandBytes(64 << 10)
        .build());
  }

  private boolean watch(NodeId from, NodeId to, RaftMessage message) {
    if (message instanceof AppendEntries append) {
      for (LogEntry e : append.entries()) {
        if (e.kind() != EntryKind.COMMAND) {
          applied.replicatedNoOp(e.index());
        }
      }
    }
    TappedTransport.Tap t = tap;
    return t == null || t.pass(from, to, message);
  }

  /**
   * Puts {@code tap} in front of every node's sends, or removes it ({@code null}): it sees every
   * message before the network does and may drop it.
   */
  void setTap(TappedTransport.Tap tap) {
    this.tap = tap;
  }

  // ------------------------------------------------------------------ disks and state

  /** The bytes of the log server {@code i}'s disk holds durably (see {@link NodeDisk}). */
  long persistedLogBytes(int i) {
    return disks.get(i).persistedLogBytes();
  }

  /**
   * The labs' {@code RaftStateSize} of server {@code i}: the log its disk holds durably and its
   * term and vote (see {@link NodeDisk}).
   */
  long persistedRaftStateBytes(int i) {
    NodeDisk disk = disks.get(i);
    return disk.persistedLogBytes() + disk.persistedHardStateBytes();
  }

  /** The newest snapshot on server {@code i}'s disk, crashed or not. */
  Optional<SnapshotInfo> latestSnapshot(int i) {
    return disks.get(i).latestSnapshot();
  }

  /**
   * The commands server {@code i}'s state machine holds now, index to value, read on its apply
   * thread with a stale query.
   *
   * @throws AssertionError if the server is crashed or does not answer within 10 s
   */
  SortedMap<Long, Long> stateMachineContents(int i) {
    RaftNode node = node(i);
    if (node == null) {
      throw new AssertionError(ids.get(i) + " is crashed; its state machine has no contents");
    }
    try {
      byte[] answer = node.query(new byte[0], ReadConsistency.STALE).get(10, TimeUnit.SECONDS);
      return CommandHistory.read(new ByteArrayInputStream(answer)).capture().toMap();
    } catch (ExecutionException | TimeoutException | IOException e) {
      throw new AssertionError("reading the state machine of " + ids.get(i) + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  // ------------------------------------------------------------------ the labs' checks

  /**
   * Waits for a leader among the connected servers: up to 10 rounds, each after a 450-549 ms
   * sleep. Fails if a term has two leaders or if no round finds one (about 5 s).
   *
   * @return the leader of the newest term that has one
   */
  int checkOneLeader() {
    for (int round = 0; round < 10; round++) {
      sleep(450 + random.nextInt(100));
      Map<Long, List<Integer>> leaders = new HashMap<>();
      for (int i = 0; i < n; i++) {
        NodeStatus s = isConnected(i) ? status(i) : null;
        if (s != null && s.isLeader()) {
          leaders.computeIfAbsent(s.term(), t -> new ArrayList<>()).add(i);
        }
      }
      long lastTermWithLeader = -1;
      for (Map.Entry<Long, List<Integer>> e : leaders.entrySet()) {
        if (e.getValue().size() > 1) {
          fail("term " + e.getKey() + " has " + e.getValue().size() + " (>1) leaders: "
              + names(e.getValue()));
        }
        lastTermWithLeader = Math.max(lastTermWithLeader, e.getKey());
      }
      if (!leaders.isEmpty()) {
        return leaders.get(lastTermWithLeader).get(0);
      }
    }
    fail("expected one leader, got none; " + describe());
    return -1;
  }

  /** Fails unless every connected server reports the same term; returns it. */
  long checkTerms() {
    long term = -1;
    for (int i = 0; i < n; i++) {
      NodeStatus s = isConnected(i) ? status(i) : null;
      if (s != null) {
        if (term == -1) {
          term = s.term();
        } else if (term != s.term()) {
          fail("servers disagree on term: " + describe());
        }
      }
    }
    return term;
  }

  /** Fails if any connected server thinks it is the leader. */
  void checkNoLeader() {
    for (int i = 0; i < n; i++) {
      NodeStatus s = isConnected(i) ? status(i) : null;
      if (s != null && s.isLeader()) {
        fail("expected no leader among connected servers, but " + ids.get(i)
            + " claims to be leader in term " + s.term());
      }
    }
  }

  /**
   * How many servers applied a command at {@code index}, and which. Fails at once if an applier
   * check failed or the servers disagree.
   */
  AppliedLog.Committed nCommitted(long index) {
    return applied.committedAt(index);
  }

  /**
   * Waits for at least {@code servers} servers to apply the command at {@code index} (the labs'
   * {@code wait}): 30 polls, sleeping 10 ms doubling up to about 1 s. Gives up early with an
   * empty result if {@code startTerm > -1} and some server's term moved past it.
   *
   * @return the command, or empty if the term moved on
   */
  OptionalLong waitCommitted(long index, int servers, long startTerm) {
    long sleepMs = 10;
    for (int iter = 0; iter < 30; iter++) {
      if (nCommitted(index).count() >= servers) {
        break;
      }
      sleep(sleepMs);
      if (sleepMs < 1000) {
        sleepMs *= 2;
      }
      if (startTerm > -1) {
        for (int i = 0; i < n; i++) {
          NodeStatus s = status(i);
          if (s != null && s.term() > startTerm) {
            return OptionalLong.empty();
          }
        }
      }
    }
    AppliedLog.Committed c = nCommitted(index);
    if (c.count() < servers) {
      fail("only " + c.count() + " decided for index " + index + "; wanted " + servers);
    }
    return OptionalLong.of(c.command());
  }

  /**
   * The labs' {@code one}: proposes {@code command} on whichever connected server is leader and
   * waits until at least {@code expectedServers} servers applied it at the index the leader gave.
   * Each attempt waits 2 s; with {@code retry} a failed attempt proposes again, and the whole
   * call gives up after 10 s.
   *
   * @return the index and term the successful proposal was given
   */
  LogPosition onePosition(long command, int expectedServers, boolean retry) {
    return onePosition(LongCommand.of(command), expectedServers, retry);
  }

  /** {@link #onePosition(long, int, boolean)} for a command made by {@link LongCommand}. */
  LogPosition onePosition(byte[] commandBytes, int expectedServers, boolean retry) {
    long command = LongCommand.valueOf(commandBytes);
    long t0 = System.nanoTime();
    int starts = 0;
    while (elapsedMs(t0) < 10_000 && !finished) {
      LogPosition accepted = null;
      for (int si = 0; si < n && accepted == null; si++) {
        starts = (starts + 1) % n;
        if (isConnected(starts)) {
          accepted = start(starts, commandBytes).orElse(null);
        }
      }
      if (accepted != null) {
        long t1 = System.nanoTime();
        while (elapsedMs(t1) < 2_000 && elapsedMs(t0) < 10_000) { // never past the deadline
          AppliedLog.Committed c = nCommitted(accepted.index());
          if (c.count() > 0 && c.count() >= expectedServers && c.command() == command) {
            return accepted;
          }
          sleep(20);
        }
        if (!retry) {
          fail("one(" + command + ") failed to reach agreement at index " + accepted.index()
              + " (term " + accepted.term() + "); " + describe());
        }
      } else {
        sleep(50);
      }
    }
    if (!finished) {
      fail("one(" + command + ") failed to reach agreement; " + describe());
    }
    return new LogPosition(0, 0);
  }

  /** {@link #onePosition} returning only the index, as the labs' {@code one} does. */
  long one(long command, int expectedServers, boolean retry) {
    return onePosition(command, expectedServers, retry).index();
  }

  /**
   * The labs' {@code Start} on server {@code i}: if it is alive and its status says it leads,
   * proposes {@code command} there and returns the position its log gave the command. Empty if
   * the server is crashed, not leader, or refuses.
   */
  Optional<LogPosition> start(int i, long command) {
    return start(i, LongCommand.of(command));
  }

  /** {@link #start(int, long)} for a command made by {@link LongCommand}. */
  Optional<LogPosition> start(int i, byte[] command) {
    RaftNode node = node(i);
    if (node == null || !node.status().isLeader()) {
      return Optional.empty();
    }
    Proposal proposal = node.propose(command);
    try {
      return Optional.of(proposal.position().get(POSITION_TIMEOUT_MS, TimeUnit.MILLISECONDS));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof NotLeaderException
          || (cause instanceof NodeClosedException && cause.getCause() == null)) {
        return Optional.empty(); // not leader any more, or crashed: Start's isLeader == false
      }
      // Anything else (a failed disk, a codec error, an overloaded node) is a failure of RaftDB.
      throw new AssertionError("propose on " + ids.get(i) + " failed unexpectedly", cause);
    } catch (TimeoutException e) {
      lostPositions.incrementAndGet();
      LOG.warn("{} took over {} ms to give a proposal its log position; treating it as refused",
          ids.get(i), POSITION_TIMEOUT_MS);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Checks the no-op adaptation of the labs' exact-index checks: no server applied a command at
   * any index strictly between {@code after} and {@code before}, and some server passed over each
   * of them as a no-op. Call it once at least one server applied {@code before}.
   */
  void assertOnlyNoOpsBetween(long after, long before) {
    if (before <= after) {
      fail("index " + before + " is not after index " + after);
    }
    for (long k = after + 1; k < before; k++) {
      AppliedLog.Committed c = nCommitted(k);
      if (c.count() > 0) {
        fail("expected only no-ops between " + after + " and " + before + ", but command "
            + c.command() + " was committed at " + k);
      }
      if (!applied.isNoOp(k)) {
        fail("index " + k + " (between " + after + " and " + before + ") was never applied");
      }
    }
  }

  /**
   * The no-op adaptation of the labs' "the next Start gets the next index", for two proposals
   * with nothing proposed between them: one accepted in the same term as {@code previous} must
   * directly follow it; one accepted in a later term comes after that term's no-op, so at least
   * two indices later, and at most one no-op per term in between (each leader appends one).
   */
  static void assertNextPosition(LogPosition previous, LogPosition next) {
    if (next.term() == previous.term()) {
      if (next.index() != previous.index() + 1) {
        fail("expected index " + (previous.index() + 1) + " in term " + previous.term()
            + ", got " + next.index());
      }
      return;
    }
    long mostNoOps = next.term() - previous.term();
    if (next.term() < previous.term() || next.index() < previous.index() + 2
        || next.index() > previous.index() + 1 + mostNoOps) {
      fail("position " + next + " cannot follow " + previous + " (a later term starts with a"
          + " no-op, and each of the " + mostNoOps + " terms since adds at most one)");
    }
  }

  /**
   * The labs' "nothing committed where no majority exists", by value and by index: no server
   * applied {@code command} anywhere, and each server that accepted it has a commit index below
   * the position it gave it.
   */
  void assertNotCommitted(long command, Map<Integer, LogPosition> acceptedBy) {
    int holders = serversThatApplied(command);
    if (holders > 0) {
      fail(command + " committed (applied by " + holders + " servers) but no majority; "
          + describe());
    }
    for (Map.Entry<Integer, LogPosition> e : acceptedBy.entrySet()) {
      NodeStatus s = status(e.getKey());
      if (s != null && s.commitIndex() >= e.getValue().index()) {
        fail(ids.get(e.getKey()) + " accepted " + command + " at " + e.getValue()
            + " and its commit index reached " + s.commitIndex() + " without a majority; "
            + describe());
      }
    }
  }

  /** Whether index {@code k} is a no-op: some server passed over it. */
  boolean isNoOp(long k) {
    return applied.isNoOp(k);
  }

  /** How many servers applied {@code command} at any index. */
  int serversThatApplied(long command) {
    return applied.serversThatApplied(command);
  }

  /** The highest index at which any server applied a command. */
  long maxIndex() {
    return applied.maxIndex();
  }

  /** Fails the test if an applier check failed. */
  void assertNoApplyErrors() {
    applied.assertNoErrors();
  }

  /** Turns the applier checks off, for runs with forged traffic (see {@link AppliedLog#stopChecking}). */
  void stopApplyChecks() {
    applied.stopChecking();
  }

  // ------------------------------------------------------------------ counters and reports

  /** Requests delivered to server {@code i}, over all its incarnations. */
  long rpcCount(int i) {
    return network.rpcCount(ids.get(i));
  }

  /** Requests sent into the network. */
  long rpcTotal() {
    return network.rpcTotal();
  }

  /** Bytes of requests sent and replies delivered. */
  long bytesTotal() {
    return network.bytesTotal();
  }

  /** Prints the test's description and starts its counters (the labs' {@code begin}). */
  void begin(String description) {
    this.description = description;
    System.out.printf("%s (seed %d, %d servers, %s storage) ...%n", description, seed, n,
        storage.name());
    beginNanos = System.nanoTime();
    beginRpcs = rpcTotal();
    beginBytes = bytesTotal();
    beginMaxIndex = maxIndex();
  }

  /**
   * Checks the time limit and the appliers, and prints the labs' "Passed" line: seconds, servers,
   * RPCs, bytes and agreements (increase of the highest applied index).
   */
  void end() {
    if (elapsedMs(createdNanos) > TEST_TIME_LIMIT.toMillis()) {
      fail("test took longer than " + TEST_TIME_LIMIT.toSeconds() + " seconds");
    }
    applied.assertNoErrors();
    System.out.printf("  ... Passed -- %5.1f s  %d servers  %6d rpcs  %9d bytes  %5d agreements"
            + "%s  (%s)%n",
        (System.nanoTime() - beginNanos) / 1e9, n, rpcTotal() - beginRpcs,
        bytesTotal() - beginBytes, maxIndex() - beginMaxIndex,
        lostPositions.get() == 0 ? "" : "  " + lostPositions.get() + " positions timed out",
        description);
  }

  /** Whether {@link #close()} was called: the labs' {@code checkFinished}, for client loops. */
  boolean isFinished() {
    return finished;
  }

  /** Every server's view, for failure messages. */
  String describe() {
    StringBuilder sb = new StringBuilder("servers:");
    for (int i = 0; i < n; i++) {
      NodeStatus s = status(i);
      sb.append(' ').append(ids.get(i)).append(isConnected(i) ? "" : "(disconnected)");
      if (s == null) {
        sb.append("=crashed");
      } else {
        sb.append("=[").append(s.role()).append(" term ").append(s.term())
            .append(" leader ").append(s.leader().map(NodeId::value).orElse("-"))
            .append(" commit ").append(s.commitIndex())
            .append(" applied ").append(s.appliedIndex())
            .append(" log ").append(s.firstLogIndex()).append("..").append(s.lastLogIndex())
            .append(']');
      }
    }
    return sb.toString();
  }

  /** The names of servers, for messages. */
  String names(List<Integer> servers) {
    List<String> names = new ArrayList<>();
    for (int i : servers) {
      names.add(ids.get(i).value());
    }
    return names.toString();
  }

  /** Stops every server and the network (the labs' {@code cleanup}). Idempotent. */
  @Override
  public void close() {
    finished = true;
    RuntimeException failure = null;
    for (int i = 0; i < n; i++) {
      try {
        crash(i);
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    network.close();
    for (NodeDisk disk : disks) {
      disk.close();
    }
    if (failure != null) {
      throw failure;
    }
  }

  // ------------------------------------------------------------------ time

  static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /** Sleeps, turning an interrupt (JUnit's timeout) into a failure. */
  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while sleeping", e);
    }
  }

  /** Sleeps for a duration. */
  static void sleep(Duration d) {
    sleep(d.toMillis());
  }
}
