package io.raftdb.server.resp;

import io.raftdb.NodeId;
import io.raftdb.RaftClient;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.kv.KvStateMachine;
import io.raftdb.testkit.Await;
import io.raftdb.testkit.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A one-member group (a real node on TCP, its log on disk) behind a RESP front end on a free
 * loopback port: the whole path of a command, in this JVM.
 */
final class OneNodeStore implements AutoCloseable {
  private static final NodeId ID = NodeId.of("n1");

  final RaftNode node;
  final RespServer server;

  private OneNodeStore(RaftNode node, RespServer server) {
    this.node = node;
    this.server = server;
  }

  static OneNodeStore start(Path dir, RespOptions options) throws InterruptedException {
    Map<NodeId, String> address = Map.of(ID, FreePorts.loopbackAddress());
    RaftNode node = RaftNode.builder().id(ID).members(List.of(ID))
        .stateMachine(new KvStateMachine())
        .transport("tcp", address)
        .dataDirectory(dir)
        .config(RaftConfig.defaults())
        .build();
    node.start();
    try {
      Await.until("n1 leads", Duration.ofSeconds(30), () -> node.status().isLeader());
      RaftClient writer = RaftClient.builder().id(NodeId.of("n1-resp")).members(List.of(ID))
          .transport("tcp", address).build();
      return new OneNodeStore(node, RespServer.start(options, node, writer));
    } catch (RuntimeException | Error | InterruptedException e) {
      node.close();
      throw e;
    }
  }

  /** A RESP front end on a free loopback port. */
  static RespOptions anyPort() {
    return RespOptions.of("127.0.0.1", 0);
  }

  int port() {
    return server.address().getPort();
  }

  @Override
  public void close() {
    server.close();
    node.close();
  }
}
