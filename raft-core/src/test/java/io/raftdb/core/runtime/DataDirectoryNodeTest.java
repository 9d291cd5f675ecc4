package io.raftdb.core.runtime;

import static io.raftdb.core.runtime.CounterStateMachine.decode;
import static io.raftdb.core.runtime.CounterStateMachine.encode;
import static io.raftdb.core.runtime.Futures.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.NodeStatus;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.StateMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node on a real data directory (Chronicle Queue log, hard-state file, snapshot files) keeps
 * what it committed across restarts, with and without snapshots.
 */
@Timeout(120)
class DataDirectoryNodeTest {
  private static final NodeId ID = NodeId.of("n1");

  @Test
  void aRestartedNodeRecoversItsCommittedCommandsFromDisk(@TempDir Path dir) throws Exception {
    try (RaftNode node = start(dir, new CounterStateMachine(), LoopbackCluster.FAST)) {
      submitOnes(node, 50);
    }
    assertTrue(Files.isDirectory(dir.resolve("log")));
    try (RaftNode node = start(dir, new CounterStateMachine(), LoopbackCluster.FAST)) {
      awaitLeader(node);
      assertEquals(50, decode(valueOf(node.query(new byte[0], ReadConsistency.LINEARIZABLE))));
      assertEquals(51, decode(valueOf(node.submit(encode(1)))));
    }
  }

  @Test
  void aRestartedNodeLoadsItsSnapshotAndReplaysTheLogAfterIt(@TempDir Path dir) throws Exception {
    RaftConfig config = LoopbackCluster.FAST.withSnapshotThreshold(20);
    try (RaftNode node = start(dir, new TotalMachine(), config)) {
      submitOnes(node, 105);
      awaitSnapshotFiles(dir);
    }
    TotalMachine machine = new TotalMachine();
    try (RaftNode node = start(dir, machine, config)) {
      assertTrue(!machine.restoredTotals().isEmpty() && machine.restoredTotals().get(0) > 0,
          "the snapshot was loaded at start-up");
      awaitLeader(node);
      assertEquals(105, decode(valueOf(node.query(new byte[0], ReadConsistency.LINEARIZABLE))));
    }
  }

  @Test
  void aByteThresholdTakesSnapshotsOfLargeCommands(@TempDir Path dir) throws Exception {
    RaftConfig config = LoopbackCluster.FAST.withSnapshotThresholdBytes(4096);
    try (RaftNode node = start(dir, new TotalMachine(), config)) {
      awaitLeader(node);
      byte[] big = new byte[1024];
      big[7] = 1; // a delta of 1 in the first 8 bytes, padded to 1 KiB
      for (int i = 0; i < 8; i++) {
        valueOf(node.submit(big));
      }
      awaitSnapshotFiles(dir);
    }
  }

  private static RaftNode start(Path dir, StateMachine machine, RaftConfig config) {
    return RaftNode.builder().id(ID).members(List.of(ID)).stateMachine(machine)
        .transport(new LoopbackNetwork().transport(ID)).dataDirectory(dir).config(config).build().start();
  }

  private static void submitOnes(RaftNode node, int n) throws InterruptedException {
    awaitLeader(node);
    List<CompletableFuture<byte[]>> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      results.add(node.submit(encode(1)));
    }
    assertEquals(n, decode(valueOf(results.get(n - 1))));
  }

  private static void awaitLeader(RaftNode node) throws InterruptedException {
    long deadline = System.nanoTime() + LoopbackCluster.WAIT.toNanos();
    NodeStatus s;
    while (!(s = node.status()).isLeader() || s.appliedIndex() < s.commitIndex()) {
      assertTrue(System.nanoTime() < deadline, "no leader: " + s);
      Thread.sleep(5);
    }
  }

  private static void awaitSnapshotFiles(Path dir) throws Exception {
    long deadline = System.nanoTime() + LoopbackCluster.WAIT.toNanos();
    while (true) {
      try (var files = Files.list(dir.resolve("snapshots"))) {
        if (files.anyMatch(f -> f.getFileName().toString().endsWith(".snap"))) {
          return;
        }
      }
      assertTrue(System.nanoTime() < deadline, "no snapshot was written");
      Thread.sleep(10);
    }
  }
}
