package io.raftdb.sim.example;

import static java.util.stream.Collectors.toMap;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftdb.NodeId;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.StateMachine;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicated counter of the README, verbatim between the markers: a service, its three
 * servers and a client in 25 lines of user code. If this test needs a change, so does the README.
 */
@Timeout(120)
class ReplicatedCounterExampleTest {

  // ---- user code, as in the README (25 lines) ----
  static class Counter implements StateMachine { // the service: commands add to a total
    private long total;

    @Override public byte[] apply(long index, byte[] command) {
      total += ByteBuffer.wrap(command).getLong();
      return query(command);
    }

    @Override public byte[] query(byte[] query) {
      return ByteBuffer.allocate(8).putLong(total).array();
    }
  }

  static long addAndRead(Path dir) throws Exception {
    List<NodeId> ids = List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
    Map<NodeId, String> net = ids.stream().collect(toMap(id -> id, id -> "counter"));
    List<RaftNode> servers = new ArrayList<>();
    for (NodeId id : ids) {   // the servers: three replicas, each with its own data directory
      servers.add(RaftNode.builder().id(id).members(ids).stateMachine(new Counter())
          .transport("sim", net).dataDirectory(dir.resolve(id.value())).build().start());
    }
    while (servers.stream().noneMatch(s -> s.status().isLeader())) Thread.sleep(10);
    RaftNode leader = servers.stream().filter(s -> s.status().isLeader()).findFirst().get();
    leader.submit(ByteBuffer.allocate(8).putLong(5).array()).get();   // the client: add 5 ...
    byte[] total = leader.query(new byte[0], ReadConsistency.LINEARIZABLE).get(); // ... read
    servers.forEach(RaftNode::close);
    return ByteBuffer.wrap(total).getLong();
  }
  // ---- end of user code ----

  @Test
  void theReadmesCounterServiceReplicatesAndAnswers(@TempDir Path dir) throws Exception {
    assertEquals(5, addAndRead(dir));
  }
}
