package io.raftdb.core.runtime;

import static io.raftdb.core.runtime.CounterStateMachine.decode;
import static io.raftdb.core.runtime.CounterStateMachine.encode;
import static io.raftdb.core.runtime.Futures.failureOf;
import static io.raftdb.core.runtime.Futures.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.raftdb.CommandDroppedException;
import io.raftdb.LogPosition;
import io.raftdb.NotLeaderException;
import io.raftdb.Proposal;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What happens to a deposed leader's pending work. */
@Timeout(120)
class LeaderChangeTest {
  private LoopbackCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aCommandOverwrittenByANewLeaderFailsAndAPendingReadIsDropped() {
    // Without check-quorum the cut-off leader keeps leading until it hears of the new term.
    cluster = LoopbackCluster.start(3, LoopbackCluster.FAST.withCheckQuorum(false));
    RaftNode old = cluster.awaitLeader();
    valueOf(old.submit(encode(1)));
    cluster.network.isolate(old.id());
    Proposal lost = old.propose(encode(100));
    LogPosition lostAt = valueOf(lost.position());
    CompletableFuture<byte[]> read = old.query(new byte[0], ReadConsistency.LINEARIZABLE);

    RaftNode[] successor = new RaftNode[1];
    LoopbackCluster.await(() -> cluster.others(old).stream()
        .filter(n -> n.status().isLeader() && n.status().term() > lostAt.term())
        .peek(n -> successor[0] = n).findAny().isPresent(), "a new leader");
    assertEquals(6, decode(valueOf(successor[0].submit(encode(5)))));
    cluster.network.reconnect(old.id());

    assertInstanceOf(CommandDroppedException.class, failureOf(lost.result()));
    assertInstanceOf(NotLeaderException.class, failureOf(read));
    LoopbackCluster.await(() -> !old.status().isLeader(), "the old leader to step down");
    LoopbackCluster.await(
        () -> decode(valueOf(old.query(new byte[0], ReadConsistency.STALE))) == 6,
        "the old leader to apply the new leader's log");
  }
}
