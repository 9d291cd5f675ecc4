package io.raftdb.core.runtime;

import static io.raftdb.core.runtime.CounterStateMachine.decode;
import static io.raftdb.core.runtime.CounterStateMachine.encode;
import static io.raftdb.core.runtime.Futures.failureOf;
import static io.raftdb.core.runtime.Futures.valueOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.raftdb.NotLeaderException;
import io.raftdb.Proposal;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ThreeNodeGroupTest {
  private LoopbackCluster cluster;

  @BeforeEach
  void start() {
    cluster = LoopbackCluster.start(3, LoopbackCluster.FAST);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void commandsSubmittedToTheLeaderAreAppliedByEveryNodeInTheSameOrder() {
    RaftNode leader = cluster.awaitLeader();
    int n = 2000;
    List<CompletableFuture<byte[]>> results = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      results.add(leader.submit(encode(i)));
    }
    long total = 0;
    for (int i = 1; i <= n; i++) {
      total += i;
      assertEquals(total, decode(valueOf(results.get(i - 1))));
    }
    for (CounterStateMachine m : cluster.machines.values()) {
      LoopbackCluster.await(() -> m.appliedCount() == n, "every node to apply " + n + " commands");
    }
    List<long[]> reference = cluster.machines.get(leader.id()).applied();
    for (CounterStateMachine m : cluster.machines.values()) {
      List<long[]> applied = m.applied();
      for (int i = 0; i < n; i++) {
        assertArrayEquals(reference.get(i), applied.get(i), "entry " + i);
      }
    }
  }

  @Test
  void aProposalToAFollowerFailsWithNotLeaderExceptionNamingTheLeader() {
    RaftNode leader = cluster.awaitLeader();
    RaftNode follower = cluster.others(leader).get(0);
    Proposal p = follower.propose(encode(1));
    Throwable position = failureOf(p.position());
    Throwable result = failureOf(p.result());
    assertInstanceOf(NotLeaderException.class, position);
    assertInstanceOf(NotLeaderException.class, result);
    assertEquals(Optional.of(leader.id()), ((NotLeaderException) position).leaderHint());
    assertEquals(0, cluster.machines.get(follower.id()).appliedCount());
  }

  @Test
  void aLinearizableQueryOnTheLeaderSeesEveryAcknowledgedCommand() {
    RaftNode leader = cluster.awaitLeader();
    for (int i = 0; i < 10; i++) {
      valueOf(leader.submit(encode(5)));
      assertEquals(5L * (i + 1),
          decode(valueOf(leader.query(new byte[0], ReadConsistency.LINEARIZABLE))));
    }
  }

  @Test
  void aLinearizableQueryOnAFollowerSeesEveryCommandCommittedBeforeIt() {
    RaftNode leader = cluster.awaitLeader();
    RaftNode follower = cluster.others(leader).get(0);
    long total = 0;
    for (int v = 1; v <= 20; v++) {
      total += v;
      valueOf(leader.submit(encode(v)));
      // No waiting for the follower to catch up: it asks the leader for the read index and
      // waits until it has applied that far (thesis §6.4).
      assertEquals(total, decode(valueOf(follower.query(new byte[0],
          v % 2 == 0 ? ReadConsistency.LINEARIZABLE : ReadConsistency.LEASE))));
    }
  }

  @Test
  void aStaleQueryOnAFollowerEventuallySeesACommittedCommand() {
    RaftNode leader = cluster.awaitLeader();
    RaftNode follower = cluster.others(leader).get(0);
    valueOf(leader.submit(encode(9)));
    LoopbackCluster.await(
        () -> decode(valueOf(follower.query(new byte[0], ReadConsistency.STALE))) == 9,
        "the follower to apply the command");
  }

  @Test
  void leadershipTransferCompletesOnceTheTargetLeads() {
    RaftNode leader = cluster.awaitLeader();
    RaftNode target = cluster.others(leader).get(1);
    valueOf(leader.submit(encode(1)));
    valueOf(leader.transferLeadership(target.id()));
    assertFalse(leader.status().isLeader());
    assertEquals(Optional.of(target.id()), leader.status().leader());
    assertEquals(target, cluster.awaitLeader());
    assertEquals(2, decode(valueOf(target.submit(encode(1)))));
  }

  @Test
  void leadershipTransferFromAFollowerFailsWithNotLeaderException() {
    RaftNode leader = cluster.awaitLeader();
    RaftNode follower = cluster.others(leader).get(0);
    assertInstanceOf(NotLeaderException.class,
        failureOf(follower.transferLeadership(leader.id())));
  }
}
