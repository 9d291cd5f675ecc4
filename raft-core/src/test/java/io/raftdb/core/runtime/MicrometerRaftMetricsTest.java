package io.raftdb.core.runtime;

import static io.raftdb.core.runtime.CounterStateMachine.encode;
import static io.raftdb.core.runtime.Futures.failureOf;
import static io.raftdb.core.runtime.Futures.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raftdb.NodeId;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.core.metrics.MicrometerRaftMetrics;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A group whose nodes report to Micrometer: what they did shows up in the registry. */
@Timeout(120)
class MicrometerRaftMetricsTest {

  @Test
  void proposalsCommitsTrafficAndElectionsAreCounted() {
    MeterRegistry registry = new SimpleMeterRegistry();
    List<NodeId> ids = List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
    LoopbackNetwork network = new LoopbackNetwork();
    RaftConfig config = LoopbackCluster.FAST.toBuilder().maxCommandBytes(1024).build();
    List<RaftNode> nodes = new ArrayList<>();
    try {
      for (NodeId id : ids) {
        nodes.add(RaftNode.builder().id(id).members(ids).stateMachine(new CounterStateMachine())
            .transport(network.transport(id)).logStorage(new MemoryLogStorage())
            .metaStorage(new MemoryMetaStorage()).config(config)
            .metrics(new MicrometerRaftMetrics(registry, id)).build().start());
      }
      LoopbackCluster.await(() -> nodes.stream().anyMatch(n -> n.status().isLeader()), "a leader");
      RaftNode leader = nodes.stream().filter(n -> n.status().isLeader()).findFirst()
          .orElseThrow();
      String id = leader.id().value();
      for (int i = 0; i < 10; i++) {
        valueOf(leader.submit(encode(1)));
      }
      failureOf(leader.submit(new byte[2048]));

      assertEquals(10, registry.get("raftdb.proposals").tag("node", id).counter().count());
      assertEquals(1, registry.get("raftdb.refused").tag("node", id).counter().count());
      assertEquals(10, registry.get("raftdb.commit.latency").tag("node", id).timer().count());
      assertTrue(registry.get("raftdb.applied.entries").tag("node", id).counter().count() >= 10);
      assertTrue(registry.get("raftdb.bytes.sent").tag("node", id).counter().count() >= 20 * 8,
          "each command went to two followers");
      assertEquals(1, registry.get("raftdb.leaderships").tag("node", id).counter().count());
      assertTrue(registry.get("raftdb.elections").tag("node", id).counter().count() >= 1);
      for (NodeId follower : ids) {
        if (!follower.equals(leader.id())) {
          LoopbackCluster.await(() -> registry.get("raftdb.bytes.received")
              .tag("node", follower.value()).counter().count() >= 10 * 8,
              follower + " to count what it received");
        }
      }
    } finally {
      nodes.forEach(RaftNode::close);
    }
  }
}
