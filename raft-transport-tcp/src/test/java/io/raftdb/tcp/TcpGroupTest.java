package io.raftdb.tcp;

import static io.raftdb.tcp.TcpTransportTest.await;
import static io.raftdb.tcp.TcpTransportTest.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftdb.NodeId;
import io.raftdb.RaftClient;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.StateMachine;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three real nodes that find the transport by its name, {@code "tcp"}, on loopback, and a
 * {@link RaftClient} over TCP: commands are applied once each, also across the loss of the
 * leader, and a follower answers linearizable reads.
 */
@Timeout(300)
class TcpGroupTest {
  private static final long WAIT_SECONDS = 60;

  private final List<NodeId> ids = List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
  private final Map<NodeId, String> addresses = new LinkedHashMap<>();
  private final List<RaftNode> nodes = new ArrayList<>();
  private final List<Sum> machines = new ArrayList<>();
  private RaftClient client;

  /** Adds each command's number to a total; the result is the total afterwards. */
  private static final class Sum implements StateMachine {
    private volatile long total;

    @Override
    public byte[] apply(long index, byte[] command) {
      total += ByteBuffer.wrap(command).getLong();
      return ByteBuffer.allocate(8).putLong(total).array();
    }

    @Override
    public byte[] query(byte[] query) {
      return ByteBuffer.allocate(8).putLong(total).array();
    }
  }

  private static byte[] number(long n) {
    return ByteBuffer.allocate(8).putLong(n).array();
  }

  private static long number(byte[] b) {
    return ByteBuffer.wrap(b).getLong();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    nodes.forEach(RaftNode::close);
  }

  private RaftNode leader() throws InterruptedException {
    RaftNode[] found = new RaftNode[1];
    await("a leader", () -> {
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

  @Test
  void aGroupOverTcpServesAClientAcrossTheLossOfItsLeader() throws Exception {
    for (NodeId id : ids) {
      addresses.put(id, "127.0.0.1:" + freePort());
    }
    for (int i = 0; i < ids.size(); i++) {
      machines.add(new Sum());
      nodes.add(RaftNode.builder().id(ids.get(i)).members(ids).stateMachine(machines.get(i))
          .transport("tcp", addresses)
          .logStorage(new MemoryLogStorage()).metaStorage(new MemoryMetaStorage())
          .config(RaftConfig.defaults().toBuilder().randomSeed(i + 1).build())
          .build().start());
    }
    client = RaftClient.builder().members(ids).transport("tcp", addresses)
        .callTimeout(Duration.ofSeconds(WAIT_SECONDS)).build();

    List<CompletableFuture<byte[]>> first = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      first.add(client.submit(number(i)));
    }
    for (CompletableFuture<byte[]> f : first) {
      f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    assertEquals(5050, number(client.query(new byte[0]).get(WAIT_SECONDS, TimeUnit.SECONDS)));

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
      await("node " + n.id() + " applies everything", () -> machine.total == 5150);
    }
  }
}
