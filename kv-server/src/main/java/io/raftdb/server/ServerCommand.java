package io.raftdb.server;

import io.raftdb.NodeId;
import io.raftdb.NodeListener;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.Role;
import io.raftdb.kv.KvStateMachine;
import java.nio.file.Path;
import io.raftdb.tcp.TcpOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code raftdb server}: one key-value node in this process, its log and snapshots under
 * {@code --data}, talking TCP to its peers and serving clients on its own address. SIGTERM (or
 * Ctrl-C) closes it cleanly; started again on the same directory it carries on.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Runs one RaftDB key-value node in this process.")
final class ServerCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

  @Option(names = "--id", required = true, description = "This node's id, one of --peers.")
  String id;

  @Option(names = "--peers", required = true, converter = PeerList.Converter.class,
      paramLabel = "ID=HOST:PORT,...", description = "Every member and its address.")
  PeerList peers;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "This node's data directory (log, snapshots, term and vote).")
  Path data;

  @Option(names = "--client", paramLabel = "HOST:PORT",
      description = "Also listen here for clients only (they may use the member address too).")
  String clientAddress;

  @Option(names = "--exit-with", paramLabel = "PID", hidden = true,
      description = "Stop when this process ends (used by `raftdb cluster`).")
  Long parentPid;

  @Mixin
  TlsOptions tls = new TlsOptions();

  @Override
  public Integer call() throws Exception {
    NodeId self = NodeId.of(id);
    if (!peers.addresses().containsKey(self)) {
      throw new IllegalArgumentException("--id " + id + " is not one of --peers " + peers);
    }
    NodeIdentity.claim(data, id, peers);
    RaftNode node = RaftNode.builder().id(self)
        .members(new ArrayList<>(peers.addresses().keySet()))
        .stateMachine(new KvStateMachine())
        .transport("tcp", peers.addresses(), transportOptions())
        .dataDirectory(data)
        .config(RaftConfig.defaults())
        .build();
    CountDownLatch stopped = new CountDownLatch(1);
    node.addListener(new Logging(id, stopped));
    node.start();
    log.info("{} serving members on {}{} with data in {}", id, peers.addresses().get(self),
        clientAddress == null ? "" : " and clients on " + clientAddress, data);
    Runtime.getRuntime().addShutdownHook(new Thread(node::close, "raftdb-shutdown"));
    if (parentPid != null) {
      watchParent(parentPid, node);
    }
    stopped.await();
    return node.status().stopCause().isPresent() ? 1 : 0;
  }

  private Map<String, Object> transportOptions() {
    Map<String, Object> options = new HashMap<>(tls.transportOptions());
    if (clientAddress != null) {
      options.put(TcpOptions.CLIENT_ADDRESS, clientAddress);
    }
    return options;
  }

  private static void watchParent(long pid, RaftNode node) {
    Thread watcher = new Thread(() -> {
      ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
      log.info("parent process {} ended; stopping", pid);
      node.close();
    }, "raftdb-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** One INFO line per election outcome, leader change and stop; nothing per request. */
  private record Logging(String id, CountDownLatch stopped) implements NodeListener {
    @Override
    public void roleChanged(Role role, long term) {
      log.info("{} is {} in term {}", id, role, term);
    }

    @Override
    public void leaderChanged(Optional<NodeId> leader, long term) {
      log.info("{}: leader is {} in term {}", id, leader.map(NodeId::value).orElse("unknown"),
          term);
    }

    @Override
    public void stopped(Optional<Throwable> cause) {
      cause.ifPresentOrElse(c -> log.error("{} stopped: {}", id, c.toString(), c),
          () -> log.info("{} stopped", id));
      stopped.countDown();
    }
  }
}
