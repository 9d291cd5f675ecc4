package io.raftdb.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeStatus;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.testkit.Await;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A group over TCP serves a {@link io.raftdb.RaftClient}: commands are applied once each, also
 * across the loss of the leader, and reads are linearizable.
 */
@Timeout(300)
class TcpGroupTest extends TcpGroupFixture {

  @Test
  void aGroupOverTcpServesAClientAcrossTheLossOfItsLeader() throws Exception {
    startGroup();

    List<CompletableFuture<byte[]>> first = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      first.add(client.submit(number(i)));
    }
    for (CompletableFuture<byte[]> f : first) {
      f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    assertEquals(5050, number(client.query(new byte[0]).get(WAIT_SECONDS, TimeUnit.SECONDS)));

    // Every member reports itself; the leader also reports its followers' match indexes.
    RaftNode leading = leader();
    for (RaftNode n : nodes) {
      NodeStatus s = client.status(n.id()).get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertEquals(n.id(), s.id());
      assertEquals(n == leading, s.isLeader());
      assertEquals(n == leading ? 2 : 0, s.matchIndexes().size());
      // Followers learn the commit index with the next append or heartbeat; the leader knows.
      long applied = machines.get(ids.indexOf(leading.id())).lastIndex;
      assertTrue(n != leading || s.commitIndex() >= applied,
          "commit index " + s.commitIndex() + ", applied " + applied);
      assertEquals(Optional.of(leading.id()), s.leader());
    }

    RaftNode old = leader();
    old.close();
    nodes.remove(old);
    for (int i = 1; i <= 100; i++) {
      client.submit(number(1)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    assertEquals(5150, number(client.query(new byte[0], ReadConsistency.LINEARIZABLE)
        .get(WAIT_SECONDS, TimeUnit.SECONDS)));
    for (RaftNode n : nodes) {
      Sum machine = machines.get(ids.indexOf(n.id()));
      Await.until("node " + n.id() + " applies everything", WAIT,
          () -> machine.total == 5150);
    }
  }
}
