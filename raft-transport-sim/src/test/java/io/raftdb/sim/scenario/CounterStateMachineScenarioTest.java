package io.raftdb.sim.scenario;

import static io.raftdb.sim.scenario.RaftCluster.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.NodeId;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import io.raftdb.sim.SimNetwork;
import io.raftdb.sim.SimTransportFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link io.raftdb.StateMachine} SPI is generic: a three-node group replicating a
 * {@link CounterStateMachine}, built the way an embedder builds one, returns each command's
 * result through its {@code submit} future and answers queries from the counter.
 */
class CounterStateMachineScenarioTest extends RaftScenarioTest {
  private static final long WAIT_SECONDS = 10;

  private final List<RaftNode> nodes = new ArrayList<>();
  private SimNetwork network;

  @BeforeEach
  void startGroup() {
    network = new SimNetwork(seed.value());
    List<NodeId> members = List.of(NodeId.of("c0"), NodeId.of("c1"), NodeId.of("c2"));
    Map<NodeId, String> addresses = new LinkedHashMap<>();
    members.forEach(m -> addresses.put(m, "counter"));
    for (int i = 0; i < members.size(); i++) {
      nodes.add(RaftNode.builder()
          .id(members.get(i))
          .members(members)
          .stateMachine(new CounterStateMachine())
          .transport(SimTransportFactory.NAME, addresses,
              Map.of(SimTransportFactory.NETWORK_OPTION, network))
          .logStorage(new MemoryLogStorage())
          .metaStorage(new MemoryMetaStorage())
          .config(RaftConfig.defaults()
              .withHeartbeatInterval(RaftCluster.HEARTBEAT_INTERVAL)
              .withElectionTimeout(RaftCluster.ELECTION_TIMEOUT)
              .withRandomSeed(seed.value() * 31 + i + 1))
          .build().start());
    }
  }

  @AfterEach
  void stopGroup() {
    nodes.forEach(RaftNode::close);
    network.close();
  }

  @Test
  void submitReturnsTheStateMachinesResultForEachCommand() throws Exception {
    RaftNode leader = awaitLeader();
    for (long i = 1; i <= 20; i++) {
      byte[] result = leader.submit(CounterStateMachine.add(1)).get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertEquals(i, CounterStateMachine.total(result), "result of increment " + i);
    }
    byte[] result = leader.submit(CounterStateMachine.add(-5)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(15, CounterStateMachine.total(result));
  }

  @Test
  void concurrentSubmitsEachGetTheirOwnResultAndAllNodesConverge() throws Exception {
    RaftNode leader = awaitLeader();
    int count = 200;
    List<CompletableFuture<byte[]>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(leader.submit(CounterStateMachine.add(1)));
    }
    Set<Long> totals = new HashSet<>();
    for (CompletableFuture<byte[]> f : futures) {
      totals.add(CounterStateMachine.total(f.get(WAIT_SECONDS, TimeUnit.SECONDS)));
    }
    // Each increment saw a different total, so each future got its own command's result.
    Set<Long> expected = new HashSet<>();
    for (long t = 1; t <= count; t++) {
      expected.add(t);
    }
    assertEquals(expected, totals);

    // Every replica's counter reaches the total.
    for (RaftNode node : nodes) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      long seen = -1;
      while (System.nanoTime() < deadline) {
        seen = CounterStateMachine.total(
            node.query(new byte[0], ReadConsistency.STALE).get(WAIT_SECONDS, TimeUnit.SECONDS));
        if (seen == count) {
          break;
        }
        sleep(20);
      }
      assertEquals(count, seen, "counter on " + node.id());
    }

    assertEquals(count, CounterStateMachine.total(leader.query(new byte[0],
        ReadConsistency.LINEARIZABLE).get(WAIT_SECONDS, TimeUnit.SECONDS)));
    // A follower serves a linearizable read too, once the leader has given it the read index.
    RaftNode follower = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
    assertEquals(count, CounterStateMachine.total(follower.query(new byte[0],
        ReadConsistency.LINEARIZABLE).get(WAIT_SECONDS, TimeUnit.SECONDS)));
  }

  /** Polls for a leader for up to 5 s, the labs' election bound. */
  private RaftNode awaitLeader() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      for (RaftNode node : nodes) {
        if (node.status().isLeader()) {
          return node;
        }
      }
      sleep(20);
    }
    fail("no leader within 5 s");
    return null;
  }
}
