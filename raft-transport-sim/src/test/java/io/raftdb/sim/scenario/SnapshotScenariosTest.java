package io.raftdb.sim.scenario;

import static io.raftdb.sim.scenario.RaftCluster.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.NodeStatus;
import io.raftdb.RaftConfig;
import io.raftdb.storage.SnapshotInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Part 2D of the MIT 6.824 Raft labs: snapshots, log compaction and InstallSnapshot, on RaftDB's
 * runtime and the simulated network (mit-6824-tests.md, 3.4), plus a long run over many snapshot
 * cycles and a snapshot shipped in small chunks over a lossy network.
 *
 * <p>Adaptations to RaftDB:
 * <ul>
 *   <li>Snapshots are taken two ways. By RaftDB's policy: the nodes run with
 *       {@link RaftConfig#snapshotThreshold()} = {@value #SNAPSHOT_INTERVAL} applied entries, the
 *       labs' {@code SnapShotInterval}. And as the labs take them: the policy off, the state
 *       machine asks for a snapshot from inside {@code apply} every {@value #SNAPSHOT_INTERVAL}
 *       indices ({@link io.raftdb.RaftNode#takeSnapshot}, the labs' {@code Snapshot(k)} on the
 *       apply thread), which must neither deadlock nor lose entries; the tests named
 *       "(application-driven)". Either way snapshots are written in the background, so one lands
 *       a little after it is taken.
 *   <li>Every snapshot taken or restored holds exactly the committed commands up to its index
 *       ({@link CheckedSnapshotStorage}), as the labs' applier checks each snapshot's index and
 *       log.
 *   <li>The labs' snapshot applier is {@link RecordingStateMachine} with {@link AppliedLog}: a
 *       snapshot holds every command up to its index, a restore replaces the server's record and
 *       the next command must follow the snapshot's last one (with only no-ops between).
 *   <li>The labs' {@code LogSize() < 2000} becomes: the log each server's disk holds durably,
 *       with its term and vote, stays under {@value #MAX_LOG_BYTES} bytes (see
 *       {@link #assertLogCompacted}).
 * </ul>
 */
class SnapshotScenariosTest extends RaftScenarioTest {
  /** The labs' {@code SnapShotInterval}: a snapshot every 10 applied entries. */
  static final int SNAPSHOT_INTERVAL = 10;

  /**
   * The labs' {@code MAXLOGSIZE}, kept as is for the persisted Raft state: the log's records plus
   * the hard state, which the labs' {@code RaftStateSize} counts too (here the 20-byte hard-state
   * file of term and vote, {@link HardStateBytes}). A command of these tests is an 18-byte
   * {@code LogEntryCodec} record (version, kind, varint index, term and length, 8 bytes of
   * payload, CRC32C) and a no-op 10, so 2000 bytes is about 110 entries. With a snapshot every
   * 10 entries a server's log holds the entries since its last snapshot, those of the batch that
   * crossed the threshold and at most one more batch while the snapshot is written: about 40
   * entries here (700 bytes). Without compaction the bound is passed after 6 or 7 iterations of
   * the 30 that {@link #snapcommon} runs.
   */
  static final long MAX_LOG_BYTES = 2000;

  private final List<RaftCluster> snapshotClusters = new ArrayList<>();

  // ------------------------------------------------------------------ the labs' 2D tests

  /** TestSnapshotBasic2D: with no faults, logs stay compacted while agreement goes on. */
  @Test
  void logsStayCompactedWhileAgreementContinues() {
    snapcommon("Test (2D): snapshots basic", false, true, false);
  }

  /** TestSnapshotInstall2D: a follower or leader cut off while the others compact catches up. */
  @Test
  void disconnectedServerCatchesUpThroughInstallSnapshot() {
    snapcommon("Test (2D): install snapshots (disconnect)", true, true, false);
  }

  /** TestSnapshotInstallUnreliable2D: the same over an unreliable network. */
  @Test
  void disconnectedServerCatchesUpThroughInstallSnapshotOverUnreliableNetwork() {
    snapcommon("Test (2D): install snapshots (disconnect+unreliable)", true, false, false);
  }

  /** TestSnapshotInstallCrash2D: a crashed server restarts from its snapshot and catches up. */
  @Test
  void crashedServerRestartsFromItsSnapshotAndCatchesUp() {
    snapcommon("Test (2D): install snapshots (crash)", false, true, true);
  }

  /** TestSnapshotInstallUnCrash2D: the same over an unreliable network. */
  @Test
  void crashedServerRestartsFromItsSnapshotAndCatchesUpOverUnreliableNetwork() {
    snapcommon("Test (2D): install snapshots (unreliable+crash)", false, false, true);
  }

  /**
   * The labs' {@code snapcommon}: 30 iterations in which a follower, or every third time the
   * leader, is disconnected or crashed while the others apply 7 to 16 more commands, and then
   * comes back; the log must stay compacted throughout.
   */
  private void snapcommon(String name, boolean disconnect, boolean reliable, boolean crash) {
    snapcommon(name, disconnect, reliable, crash, false);
  }

  private void snapcommon(String name, boolean disconnect, boolean reliable, boolean crash,
      boolean applicationSnapshots) {
    int iters = 30;
    int servers = 3;
    RaftCluster cfg = applicationSnapshots ? applicationSnapshotCluster(servers, reliable)
        : snapshotCluster(servers, reliable, c -> c);
    SnapshotTraffic traffic = new SnapshotTraffic();
    cfg.setTap(traffic);
    Random random = cfg.random();
    cfg.begin(name);

    cfg.one(random.nextLong(), servers, true);
    int leader1 = cfg.checkOneLeader();
    long largestLog = 0;

    for (int i = 0; i < iters; i++) {
      int victim = (leader1 + 1) % servers;
      int sender = leader1;
      if (i % 3 == 1) {
        sender = (leader1 + 1) % servers;
        victim = leader1;
      }

      if (disconnect) {
        cfg.disconnect(victim);
        cfg.one(random.nextLong(), servers - 1, true);
      }
      if (crash) {
        cfg.crash(victim);
        cfg.one(random.nextLong(), servers - 1, true);
      }

      // Perhaps enough to get a snapshot; the sender may not lead, and then refuses them all.
      int nn = SNAPSHOT_INTERVAL / 2 + random.nextInt(SNAPSHOT_INTERVAL);
      for (int j = 0; j < nn; j++) {
        cfg.start(sender, random.nextLong());
      }

      if (!disconnect && !crash) {
        // Every follower is current, so that the basic test rarely needs InstallSnapshot.
        cfg.one(random.nextLong(), servers, true);
      } else {
        cfg.one(random.nextLong(), servers - 1, true);
      }

      largestLog = Math.max(largestLog, assertLogCompacted(cfg, "iteration " + i));

      if (disconnect) {
        // The victim may be so far behind that only a snapshot brings it up to date.
        cfg.connect(victim);
        cfg.one(random.nextLong(), servers, true);
        leader1 = cfg.checkOneLeader();
      }
      if (crash) {
        cfg.restart(victim);
        cfg.connect(victim);
        cfg.one(random.nextLong(), servers, true);
        leader1 = cfg.checkOneLeader();
      }
    }
    if (disconnect || crash) {
      // Not a check of the labs, but of this test: the victims did need snapshots.
      assertTrue(traffic.installsCompleted() > 0,
          "no server caught up through InstallSnapshot in " + iters + " iterations: " + traffic);
    }
    System.out.println("  largest persisted Raft state " + largestLog
        + " bytes; InstallSnapshot: " + traffic);
    cfg.end();
  }

  /**
   * TestSnapshotBasic2D (application-driven): as the labs take snapshots, from inside
   * {@code apply} every {@value #SNAPSHOT_INTERVAL} indices; the apply thread never waits for
   * them, and the logs stay compacted.
   */
  @Test
  void logsStayCompactedWithSnapshotsAskedForFromInsideApply() {
    snapcommon("Test (2D): snapshots basic (application-driven)", false, true, false, true);
  }

  /**
   * TestSnapshotInstallUnCrash2D (application-driven): a crashed server restarts from a snapshot
   * it asked for inside {@code apply}, and catches up over an unreliable network, through
   * InstallSnapshot when it is too far behind. (The reliable-network variants of the install
   * tests add little to this one and a minute to every build; the labs' own versions run with
   * RaftDB's snapshot policy above.)
   */
  @Test
  void crashedServerRestartsFromASnapshotAskedForFromInsideApplyOverUnreliableNetwork() {
    snapcommon("Test (2D): install snapshots (unreliable+crash) (application-driven)", false,
        false, true, true);
  }

  /**
   * TestSnapshotAllCrash2D: every server crashes and restarts from its snapshot plus the log after
   * it, five times; the index of agreement never goes back.
   */
  @Test
  void allServersRestartFromSnapshotAndLogWithoutLosingIndices() {
    int servers = 3;
    int iters = 5;
    RaftCluster cfg = snapshotCluster(servers, true, c -> c);
    Random random = cfg.random();
    cfg.begin("Test (2D): crash and restart all servers");

    cfg.one(random.nextLong(), servers, true);

    for (int i = 0; i < iters; i++) {
      // Perhaps enough to get a snapshot.
      int nn = SNAPSHOT_INTERVAL / 2 + random.nextInt(SNAPSHOT_INTERVAL);
      for (int j = 0; j < nn; j++) {
        cfg.one(random.nextLong(), servers, true);
      }

      long index1 = cfg.one(random.nextLong(), servers, true);

      for (int s = 0; s < servers; s++) {
        cfg.crash(s);
      }
      for (int s = 0; s < servers; s++) {
        cfg.restart(s);
        cfg.connect(s);
      }

      long index2 = cfg.one(random.nextLong(), servers, true);
      if (index2 < index1 + 1) {
        fail("index decreased from " + index1 + " to " + index2);
      }
    }
    assertSameContents(cfg, Set.of());
    cfg.end();
  }

  /**
   * TestSnapshotInit2D: a server restarted with a snapshot keeps it through its next restart
   * (the labs' bug: a Raft that forgot its snapshot at start-up wiped it with its first save).
   */
  @Test
  void restartedServersKeepTheirSnapshotThroughTheNextRestart() {
    int servers = 3;
    RaftCluster cfg = snapshotCluster(servers, true, c -> c);
    Random random = cfg.random();
    cfg.begin("Test (2D): snapshot initialization after crash");

    cfg.one(random.nextLong(), servers, true);

    // Enough ops to make a snapshot.
    int nn = SNAPSHOT_INTERVAL + 1;
    for (int i = 0; i < nn; i++) {
      cfg.one(random.nextLong(), servers, true);
    }
    // The labs take the snapshot on the apply thread; RaftDB writes it in the background, so
    // wait until every server has one before crashing, or the test would test nothing.
    long[] snapshotIndex = awaitSnapshotOnEveryServer(cfg);

    crashAndRestartAll(cfg);

    // A single op, to get something written back to storage.
    cfg.one(random.nextLong(), servers, true);

    crashAndRestartAll(cfg);

    // Another op, to trigger the potential bug.
    cfg.one(random.nextLong(), servers, true);

    for (int s = 0; s < servers; s++) {
      long index = cfg.latestSnapshot(s).map(SnapshotInfo::index).orElse(0L);
      if (index < snapshotIndex[s]) {
        fail(cfg.id(s) + " had snapshot " + snapshotIndex[s] + " before the restarts and "
            + (index == 0 ? "none" : index) + " after them");
      }
    }
    cfg.end();
  }

  // ------------------------------------------------------------------ beyond the labs

  /**
   * A long run: 2,000 commands with a snapshot every 20 entries (a hundred snapshot cycles per
   * server), a follower crashed for a while in the middle; every server's persisted log stays
   * under the bound after every round. Then every server restarts from its snapshot and log and
   * holds the same state machine contents as the others, with every acknowledged command.
   */
  @Test
  void logStaysBoundedOverManySnapshotCyclesAndRestartedServersRecoverTheSameState() {
    int servers = 3;
    int threshold = 20;
    int rounds = 100;
    int perRound = 20;
    RaftCluster cfg = snapshotCluster(servers, true, c -> c.withSnapshotThreshold(threshold));
    SnapshotTraffic traffic = new SnapshotTraffic();
    cfg.setTap(traffic);
    Random random = cfg.random();
    cfg.begin("long run: " + rounds * perRound + " commands, a snapshot every " + threshold
        + " entries");
    Set<Long> acknowledged = new HashSet<>();

    acknowledged.add(oneAcknowledged(cfg, random, servers));
    long largestLog = 0;
    int down = -1;
    int caughtUp = -1;
    for (int round = 0; round < rounds; round++) {
      if (round == 60) {
        down = (cfg.checkOneLeader() + 1) % servers;
        cfg.crash(down);
      }
      if (round == 75) {
        // The leader compacted far past it: it needs its own snapshot and the leader's.
        cfg.restart(down);
        cfg.connect(down);
        caughtUp = down;
        down = -1;
        acknowledged.add(oneAcknowledged(cfg, random, servers));
      }
      for (int j = 0; j < perRound; j++) {
        startOnLeader(cfg, random.nextLong());
      }
      acknowledged.add(oneAcknowledged(cfg, random, down == -1 ? servers : servers - 1));
      largestLog = Math.max(largestLog, assertLogCompacted(cfg, "round " + round));
    }

    long[] snapshotIndex = new long[servers];
    for (int s = 0; s < servers; s++) {
      snapshotIndex[s] = cfg.latestSnapshot(s).map(SnapshotInfo::index).orElse(0L);
    }
    for (int s = 0; s < servers; s++) {
      cfg.crash(s);
    }
    for (int s = 0; s < servers; s++) {
      cfg.restart(s);
      // Before it hears from anybody, a restarted server stands where its snapshot left it.
      NodeStatus status = cfg.status(s);
      if (status.appliedIndex() < snapshotIndex[s] || snapshotIndex[s] < rounds * perRound / 2) {
        fail(cfg.id(s) + " restarted at applied index " + status.appliedIndex()
            + " but its newest snapshot is " + snapshotIndex[s]);
      }
    }
    for (int s = 0; s < servers; s++) {
      cfg.connect(s);
    }
    acknowledged.add(oneAcknowledged(cfg, random, servers));

    assertSameContents(cfg, acknowledged);
    assertTrue(traffic.installsCompletedBy(cfg.id(caughtUp)) > 0,
        cfg.id(caughtUp) + " caught up after its crash without InstallSnapshot: " + traffic);
    System.out.println("  largest persisted Raft state " + largestLog + " bytes; snapshots "
        + Arrays.toString(snapshotIndex) + "; " + traffic);
    cfg.end();
  }

  /**
   * A follower cut off while the leader compacts far past its log catches up through
   * InstallSnapshot in 1 KiB chunks over an unreliable network: one chunk and one answer are
   * lost on purpose on top of the network's random losses, and the transfer resumes where the
   * follower asks.
   */
  @Test
  void isolatedFollowerCatchesUpThroughAChunkedSnapshotOverALossyNetwork() {
    int servers = 3;
    int chunkBytes = 1024;
    RaftCluster cfg = snapshotCluster(servers, true,
        c -> c.withSnapshotChunkBytes(chunkBytes));
    SnapshotTraffic traffic = new SnapshotTraffic();
    traffic.loseFirstChunkAt(chunkBytes);
    traffic.loseFirstAnswerAskingFor(3L * chunkBytes);
    cfg.setTap(traffic);
    Random random = cfg.random();
    cfg.begin("InstallSnapshot in " + chunkBytes + "-byte chunks over an unreliable network");

    cfg.one(random.nextLong(), servers, true);
    int leader = cfg.checkOneLeader();
    int victim = (leader + 1) % servers;
    cfg.disconnect(victim);

    // About 500 commands: a snapshot of 16 bytes per command is 8 KiB, some 8 chunks.
    for (int round = 0; round < 25; round++) {
      for (int j = 0; j < 20; j++) {
        startOnLeader(cfg, random.nextLong());
      }
      cfg.one(random.nextLong(), servers - 1, true);
    }

    leader = cfg.checkOneLeader();
    NodeStatus behind = cfg.status(victim);
    NodeStatus ahead = cfg.status(leader);
    if (ahead.firstLogIndex() <= behind.lastLogIndex() + 1) {
      fail("the leader did not compact past the isolated follower: leader log starts at "
          + ahead.firstLogIndex() + ", follower log ends at " + behind.lastLogIndex());
    }
    long snapshotBytes = cfg.latestSnapshot(leader).map(SnapshotInfo::sizeBytes).orElse(0L);
    assertTrue(snapshotBytes > 3L * chunkBytes,
        "the leader's snapshot of " + snapshotBytes + " bytes is not several chunks");

    cfg.network().setReliable(false);
    cfg.connect(victim);
    long index = cfg.one(random.nextLong(), servers - 1, true);
    cfg.waitCommitted(index, servers, -1);

    cfg.network().setReliable(true);
    cfg.one(random.nextLong(), servers, true);

    assertTrue(traffic.installsCompletedBy(cfg.id(victim)) > 0,
        cfg.id(victim) + " caught up without InstallSnapshot: " + traffic);
    assertEquals(2, traffic.lostOnPurpose(), "planned losses that happened: " + traffic);
    assertTrue(traffic.mostChunksInOneSnapshot() >= 4, "chunks per snapshot: " + traffic);
    assertTrue(traffic.chunksSent() > traffic.distinctChunks(), "no chunk resent: " + traffic);
    assertSameContents(cfg, Set.of());
    System.out.println("  " + traffic);
    cfg.end();
  }

  // ------------------------------------------------------------------ helpers

  /**
   * A cluster whose nodes snapshot every {@value #SNAPSHOT_INTERVAL} applied entries, then
   * {@code tuning}; closed and its appliers checked after the test.
   */
  private RaftCluster snapshotCluster(int servers, boolean reliable,
      UnaryOperator<RaftConfig> tuning) {
    RaftCluster cluster = new RaftCluster(servers, reliable, storageKind(),
        seed.value() + snapshotClusters.size(),
        c -> tuning.apply(c.withSnapshotThreshold(SNAPSHOT_INTERVAL)));
    snapshotClusters.add(cluster);
    return cluster;
  }

  /**
   * A cluster whose nodes take no snapshot by policy; their state machines ask for one from
   * inside {@code apply} every {@value #SNAPSHOT_INTERVAL} indices.
   */
  private RaftCluster applicationSnapshotCluster(int servers, boolean reliable) {
    RaftCluster cluster = new RaftCluster(servers, reliable, storageKind(),
        seed.value() + snapshotClusters.size(),
        c -> c.withSnapshotThreshold(Long.MAX_VALUE).withSnapshotThresholdBytes(Long.MAX_VALUE),
        SNAPSHOT_INTERVAL);
    snapshotClusters.add(cluster);
    return cluster;
  }

  @AfterEach
  void closeSnapshotClusters() {
    List<RaftCluster> toClose = new ArrayList<>(snapshotClusters);
    snapshotClusters.clear();
    for (RaftCluster c : toClose) {
      c.close();
    }
    for (RaftCluster c : toClose) {
      c.assertNoApplyErrors();
    }
  }

  /**
   * The labs' "Log size too large" check, on every server's persisted log with its term and
   * vote; returns the largest found.
   */
  private static long assertLogCompacted(RaftCluster cfg, String when) {
    long largest = 0;
    for (int s = 0; s < cfg.size(); s++) {
      long bytes = cfg.persistedRaftStateBytes(s);
      if (bytes >= MAX_LOG_BYTES) {
        fail("Log size too large at " + when + ": " + cfg.id(s) + " holds " + bytes
            + " bytes of log, term and vote (limit " + MAX_LOG_BYTES + "); " + cfg.describe());
      }
      largest = Math.max(largest, bytes);
    }
    return largest;
  }

  /** The labs' {@code Start} on whichever connected server accepts; whether one did. */
  private static boolean startOnLeader(RaftCluster cfg, long command) {
    for (int s = 0; s < cfg.size(); s++) {
      if (cfg.isConnected(s) && cfg.start(s, command).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /** A fresh command agreed by {@code servers} servers; returns it. */
  private static long oneAcknowledged(RaftCluster cfg, Random random, int servers) {
    long command = random.nextLong();
    cfg.one(command, servers, true);
    return command;
  }

  private static void crashAndRestartAll(RaftCluster cfg) {
    for (int s = 0; s < cfg.size(); s++) {
      cfg.crash(s);
    }
    for (int s = 0; s < cfg.size(); s++) {
      cfg.restart(s);
      cfg.connect(s);
    }
  }

  /** Waits (up to 10 s) until every server's disk holds a snapshot; returns their indices. */
  private static long[] awaitSnapshotOnEveryServer(RaftCluster cfg) {
    long[] index = new long[cfg.size()];
    long deadline = System.nanoTime() + 10_000_000_000L;
    for (int s = 0; s < cfg.size(); s++) {
      while (cfg.latestSnapshot(s).isEmpty()) {
        if (System.nanoTime() - deadline > 0) {
          fail(cfg.id(s) + " took no snapshot; " + cfg.describe());
        }
        sleep(20);
      }
      index[s] = cfg.latestSnapshot(s).get().index();
    }
    return index;
  }

  /**
   * Every live server's state machine holds the same commands at the same indices, among them
   * every command in {@code acknowledged}. Call it once all have applied the same last command.
   */
  private static void assertSameContents(RaftCluster cfg, Set<Long> acknowledged) {
    SortedMap<Long, Long> reference = null;
    int referenceServer = -1;
    for (int s = 0; s < cfg.size(); s++) {
      if (cfg.node(s) == null) {
        continue;
      }
      SortedMap<Long, Long> contents = cfg.stateMachineContents(s);
      if (reference == null) {
        reference = contents;
        referenceServer = s;
      } else if (!reference.equals(contents)) {
        fail("state machines differ: " + firstDifference(cfg, referenceServer, reference, s,
            contents));
      }
    }
    if (reference == null) {
      fail("no live server");
    }
    Set<Long> held = new HashSet<>(reference.values());
    for (long command : acknowledged) {
      if (!held.contains(command)) {
        fail("acknowledged command " + command + " is in no state machine");
      }
    }
  }

  private static String firstDifference(RaftCluster cfg, int a, SortedMap<Long, Long> first,
      int b, SortedMap<Long, Long> second) {
    Set<Long> indices = new TreeSet<>(first.keySet());
    indices.addAll(second.keySet());
    for (long k : indices) {
      if (!Objects.equals(first.get(k), second.get(k))) {
        return "at index " + k + " " + cfg.id(a) + " holds " + first.get(k) + " and " + cfg.id(b)
            + " holds " + second.get(k) + " (" + first.size() + " vs " + second.size()
            + " commands)";
      }
    }
    return "no difference found";
  }
}
