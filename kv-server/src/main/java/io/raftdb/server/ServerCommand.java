package io.raftdb.server;

import io.raftdb.NodeId;
import io.raftdb.NodeListener;
import io.raftdb.RaftConfig;
import io.raftdb.RaftClient;
import io.raftdb.RaftNode;
import io.raftdb.RaftNodeBuilder;
import io.raftdb.Role;
import io.raftdb.kv.KvStateMachine;
import io.raftdb.server.resp.RespOptions;
import io.raftdb.server.resp.RespServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import io.raftdb.tcp.HostPort;
import io.raftdb.tcp.TcpOptions;
import io.raftdb.tcp.TlsFiles;
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

  @Option(names = "--resp", paramLabel = "HOST:PORT",
      description = "Also serve the Redis protocol (RESP2) here, for redis-cli and Redis clients.")
  String respAddress;

  @Option(names = "--resp-password", paramLabel = "PASSWORD",
      defaultValue = "${env:RAFTDB_RESP_PASSWORD}",
      description = "Make RESP clients AUTH with this password first (default: the environment"
          + " variable RAFTDB_RESP_PASSWORD, which, unlike an argument, other users cannot see"
          + " in the process list).")
  String respPassword;

  @Option(names = "--join", description = "Join a running cluster instead of founding one:"
      + " --peers then lists the running members and this node; it waits until the cluster's"
      + " leader adds it (`raftdb members add`).")
  boolean join;

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
    RaftNodeBuilder builder = RaftNode.builder().id(self);
    if (join) {
      builder.joining();
    } else {
      builder.members(new ArrayList<>(peers.addresses().keySet()));
    }
    RaftNode node = builder
        .stateMachine(new KvStateMachine())
        .transport("tcp", peers.addresses(), transportOptions())
        .dataDirectory(data)
        .config(RaftConfig.defaults())
        .build();
    CountDownLatch stopped = new CountDownLatch(1);
    node.addListener(new Logging(id, stopped));
    node.start();
    RespServer resp = respAddress == null ? null : startResp(node);
    log.info("{} serving members on {}{}{} with data in {}", id, peers.addresses().get(self),
        clientAddress == null ? "" : ", clients on " + clientAddress,
        resp == null ? "" : ", RESP on " + respAddress, data);
    Runnable stop = () -> {
      if (resp != null) {
        resp.close();
      }
      node.close();
    };
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "raftdb-shutdown"));
    if (parentPid != null) {
      watchParent(parentPid, stop);
    }
    stopped.await();
    return node.status().stopCause().isPresent() ? 1 : 0;
  }

  /**
   * The RESP front end: reads served by this node, writes through a client session of its own
   * to whichever member leads.
   */
  private RespServer startResp(RaftNode node) {
    InetSocketAddress address = HostPort.parse("--resp", respAddress);
    RespOptions options = RespOptions.of(address.getHostString(), address.getPort());
    if (respPassword != null) {
      options = options.withPassword(respPassword);
    }
    Map<String, ?> tlsOptions = tls.transportOptions();
    if (tlsOptions.get(TcpOptions.TLS) instanceof TlsFiles files) {
      options = options.withTls(files);
    }
    RaftClient writer = RaftClient.builder().id(NodeId.of(id + "-resp"))
        .members(new ArrayList<>(peers.addresses().keySet()))
        .transport("tcp", peers.addresses(), tlsOptions)
        .maxOutstanding(4096)
        .build();
    try {
      return RespServer.start(options, node, writer);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  private Map<String, Object> transportOptions() {
    Map<String, Object> options = new HashMap<>(tls.transportOptions());
    if (clientAddress != null) {
      options.put(TcpOptions.CLIENT_ADDRESS, clientAddress);
    }
    return options;
  }

  private static void watchParent(long pid, Runnable stop) {
    Thread watcher = new Thread(() -> {
      ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
      log.info("parent process {} ended; stopping", pid);
      stop.run();
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
