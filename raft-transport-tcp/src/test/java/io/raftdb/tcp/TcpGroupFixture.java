package io.raftdb.tcp;


import io.raftdb.NodeId;
import io.raftdb.RaftClient;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.StateMachine;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import io.raftdb.testkit.Await;
import io.raftdb.testkit.FreePorts;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * Three real nodes that find the transport by its name, {@code "tcp"}, on loopback (free
 * ports), each running a {@link Sum}, and a {@link RaftClient} over TCP; closed after each test.
 */
abstract class TcpGroupFixture {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final long WAIT_SECONDS = 60;

  final List<NodeId> ids = List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
  final Map<NodeId, String> addresses = new LinkedHashMap<>();
  /** Each node's client-only port. */
  final Map<NodeId, String> clientAddresses = new LinkedHashMap<>();
  final List<RaftNode> nodes = new ArrayList<>();
  final List<Sum> machines = new ArrayList<>();
  RaftClient client;

  /** Adds each command's number to a total; the result is the total afterwards. */
  static final class Sum implements StateMachine {
    volatile long total;
    /** The index of the last command applied (a client request's commands share one). */
    volatile long lastIndex;

    @Override
    public byte[] apply(long index, byte[] command) {
      if (index < lastIndex) {
        throw new IllegalStateException("index " + index + " after " + lastIndex);
      }
      lastIndex = index;
      total += ByteBuffer.wrap(command).getLong();
      return ByteBuffer.allocate(8).putLong(total).array();
    }

    @Override
    public byte[] query(byte[] query) {
      return ByteBuffer.allocate(8).putLong(total).array();
    }
  }

  static byte[] number(long n) {
    return ByteBuffer.allocate(8).putLong(n).array();
  }

  static long number(byte[] b) {
    return ByteBuffer.wrap(b).getLong();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    nodes.forEach(RaftNode::close);
  }

  RaftNode leader() throws InterruptedException {
    RaftNode[] found = new RaftNode[1];
    Await.until("a leader", WAIT, () -> {
      for (RaftNode n : nodes) {
        if (n.status().isRunning() && n.status().isLeader()) {
          found[0] = n;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  /** Starts the three nodes on free ports and a client. */
  void startGroup() throws Exception {
    for (NodeId id : ids) {
      addresses.put(id, FreePorts.loopbackAddress());
      clientAddresses.put(id, FreePorts.loopbackAddress());
    }
    for (int i = 0; i < ids.size(); i++) {
      machines.add(new Sum());
      nodes.add(RaftNode.builder().id(ids.get(i)).members(ids).stateMachine(machines.get(i))
          .transport("tcp", addresses,
              Map.of(TcpOptions.CLIENT_ADDRESS, clientAddresses.get(ids.get(i))))
          .logStorage(new MemoryLogStorage()).metaStorage(new MemoryMetaStorage())
          .config(RaftConfig.defaults().toBuilder().randomSeed(i + 1).build())
          .build().start());
    }
    client = RaftClient.builder().members(ids).transport("tcp", addresses)
        .callTimeout(Duration.ofSeconds(WAIT_SECONDS)).build();
  }
}
