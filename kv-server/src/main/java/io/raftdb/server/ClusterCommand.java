package io.raftdb.server;

import io.raftdb.NodeId;
import io.raftdb.NodeStatus;
import io.raftdb.RaftClient;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raftdb cluster}: a local three-node cluster, three server processes with their data
 * under one directory, until Ctrl-C (which stops them cleanly). Each child also stops if this
 * process dies, so none is left behind.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Starts a local three-node cluster (three processes) until Ctrl-C.")
final class ClusterCommand implements Callable<Integer> {
  /** Chronicle Queue's JVM flags: the children run from the class path, not the jar manifest. */
  private static final List<String> JVM_FLAGS = List.of(
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED");

  @Option(names = "--dir", defaultValue = "raftdb-cluster", paramLabel = "DIR",
      description = "Where the nodes keep their data and logs (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--peers", converter = PeerList.Converter.class, paramLabel = "ID=HOST:PORT,...",
      defaultValue = PeerList.LOCAL, description = "The members (default ${DEFAULT-VALUE}).")
  PeerList peers;

  @Option(names = "--resp-port", defaultValue = "6379", paramLabel = "PORT",
      description = "The first node's RESP (Redis protocol) port; the others follow it "
          + "(default ${DEFAULT-VALUE}).")
  int respPort;

  @Override
  public Integer call() throws Exception {
    if (respPort < 1 || respPort + peers.addresses().size() - 1 > 65535) {
      throw new IllegalArgumentException("--resp-port " + respPort + " leaves no room for "
          + peers.addresses().size() + " ports");
    }
    Files.createDirectories(dir);
    List<Process> children = new ArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopAll(children);
      stopped.countDown();
    }, "raftdb-cluster-stop"));
    int n = 0;
    for (var member : peers.addresses().entrySet()) {
      String id = member.getKey().value();
      Path log = dir.resolve(id + ".log");
      String resp = respAddress(member.getValue(), n++);
      children.add(new ProcessBuilder(serverCommand(id, resp))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start());
      System.out.println(id + ": clients " + peers.clientPorts().addresses().get(member.getKey())
          + ", RESP " + resp + ", members " + member.getValue() + ", data " + dir.resolve(id)
          + ", log " + log);
    }
    awaitLeader();
    System.out.println("Cluster running. Try: bin/raftdb put greeting hello; "
        + "bin/raftdb get greeting; bin/raftdb status"
        + (peers.toString().equals(PeerList.LOCAL) ? "" : " (with --peers "
            + peers.clientPorts() + ")") + "; or redis-cli -p " + respPort
        + " set greeting hello; redis-cli -p " + (respPort + 1) + " get greeting. "
        + "Ctrl-C stops it.");
    for (Process p : children) {
      p.onExit().thenRun(() -> {
        if (stopped.getCount() > 0) {
          System.out.println("a node exited with status " + p.exitValue()
              + "; see its log under " + dir);
        }
      });
    }
    stopped.await();
    return 0;
  }

  /** Shows the cluster working: asks the nodes, through their client ports, who leads. */
  private void awaitLeader() {
    List<NodeId> members = new ArrayList<>(peers.addresses().keySet());
    try (RaftClient client = RaftClient.builder().members(members)
        .transport("tcp", peers.clientPorts().addresses())
        .callTimeout(Duration.ofSeconds(2)).build()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        for (NodeId m : members) {
          try {
            NodeStatus s = client.status(m).get();
            if (s.isLeader()) {
              System.out.println("Leader " + m.value() + " elected in term " + s.term() + ".");
              return;
            }
          } catch (ExecutionException notYet) {
            // still starting
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
      System.out.println("No leader yet after a minute; see the nodes' logs under " + dir);
    }
  }

  /** This JVM's java launcher with the flags a server process needs. */
  static List<String> javaWithFlags() {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(JVM_FLAGS);
    if (Runtime.version().feature() >= 24) {
      command.add("--enable-native-access=ALL-UNNAMED");
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    return command;
  }

  /** The n-th member's RESP address: its member host, the n-th port from --resp-port. */
  private String respAddress(String memberAddress, int n) {
    return memberAddress.substring(0, memberAddress.lastIndexOf(':') + 1) + (respPort + n);
  }

  private List<String> serverCommand(String id, String resp) {
    List<String> command = javaWithFlags();
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        RaftDbCli.class.getName(), "server", "--id", id, "--peers", peers.toString(),
        "--data", dir.resolve(id).toString(),
        "--client", peers.clientPorts().addresses().get(NodeId.of(id)), "--resp", resp,
        "--exit-with", String.valueOf(ProcessHandle.current().pid())));
    return command;
  }

  private static void stopAll(List<Process> children) {
    children.forEach(Process::destroy); // SIGTERM: each node closes cleanly
    for (Process p : children) {
      try {
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
