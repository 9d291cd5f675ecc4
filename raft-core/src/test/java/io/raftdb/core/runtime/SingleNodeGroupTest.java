package io.raftdb.core.runtime;

import static io.raftdb.core.runtime.CounterStateMachine.decode;
import static io.raftdb.core.runtime.CounterStateMachine.encode;
import static io.raftdb.core.runtime.Futures.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.LogPosition;
import io.raftdb.NodeId;
import io.raftdb.NodeStatus;
import io.raftdb.Proposal;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class SingleNodeGroupTest {
  private LoopbackCluster cluster;
  private RaftNode node;
  private CounterStateMachine machine;

  @BeforeEach
  void start() {
    cluster = LoopbackCluster.start(1, LoopbackCluster.FAST);
    node = cluster.node(NodeId.of("n1"));
    machine = cluster.machines.get(NodeId.of("n1"));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aSingleNodeElectsItself() {
    assertEquals(node, cluster.awaitLeader());
    NodeStatus s = node.status();
    assertEquals(Role.LEADER, s.role());
    assertTrue(s.term() >= 1);
    assertEquals(List.of(NodeId.of("n1")), s.members());
  }

  @Test
  void submittedCommandsAreAppliedInOrderAndCompleteWithTheStateMachinesResults() {
    cluster.awaitLeader();
    int n = 500;
    List<CompletableFuture<byte[]>> results = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      results.add(node.submit(encode(i)));
    }
    long expectedTotal = 0;
    for (int i = 1; i <= n; i++) {
      expectedTotal += i;
      assertEquals(expectedTotal, decode(valueOf(results.get(i - 1))), "result of command " + i);
    }
    List<long[]> applied = machine.applied();
    assertEquals(n, applied.size());
    for (int i = 0; i < n; i++) {
      assertEquals(i + 1, applied.get(i)[1], "command applied in position " + i);
      if (i > 0) {
        assertTrue(applied.get(i)[0] > applied.get(i - 1)[0], "indices rise");
      }
    }
    assertEquals(Set.of("raft-apply-n1"), machine.callingThreads());
  }

  @Test
  void theLeadersNoOpEntryIsAppliedButNeverShownToTheStateMachine() {
    cluster.awaitLeader();
    Proposal p = node.propose(encode(7));
    LogPosition position = valueOf(p.position());
    valueOf(p.result());
    // The no-op of the leader's term sits before the first command.
    assertTrue(position.index() >= 2, "command index " + position.index());
    assertEquals(position.index(), machine.applied().get(0)[0]);
    assertEquals(1, machine.appliedCount());
    LoopbackCluster.await(() -> node.status().appliedIndex() == position.index(),
        "status to show the command applied");
  }

  @Test
  void commandsFromManyThreadsAreEachAppliedOnce() throws Exception {
    cluster.awaitLeader();
    int threads = 4;
    int perThread = 1000;
    CompletableFuture<?>[] done = new CompletableFuture<?>[threads];
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> proposers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int slot = t;
      Thread thread = new Thread(() -> {
        CompletableFuture<?>[] mine = new CompletableFuture<?>[perThread];
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          mine[i] = node.submit(encode(1));
        }
        done[slot] = CompletableFuture.allOf(mine);
      });
      proposers.add(thread);
      thread.start();
    }
    go.countDown();
    for (Thread t : proposers) {
      t.join(LoopbackCluster.WAIT.toMillis());
    }
    for (CompletableFuture<?> all : done) {
      valueOf(all);
    }
    assertEquals(threads * perThread, machine.appliedCount());
    assertEquals(threads * perThread,
        decode(valueOf(node.query(new byte[0], ReadConsistency.LINEARIZABLE))));
  }

  @Test
  void everyReadConsistencySeesAnAcknowledgedCommand() {
    cluster.awaitLeader();
    valueOf(node.submit(encode(42)));
    assertEquals(42, decode(valueOf(node.query(new byte[0], ReadConsistency.LINEARIZABLE))));
    assertEquals(42, decode(valueOf(node.query(new byte[0], ReadConsistency.LEASE))));
    // A stale read on the node that applied the command sees it too.
    assertEquals(42, decode(valueOf(node.query(new byte[0], ReadConsistency.STALE))));
  }

  @Test
  void aStaleQueryIsAnsweredBeforeAnyLeaderExists() {
    // No wait for the election: stale reads need no leader.
    assertEquals(0, decode(valueOf(node.query(new byte[0], ReadConsistency.STALE))));
  }
}
