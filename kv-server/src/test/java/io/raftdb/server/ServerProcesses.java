package io.raftdb.server;

import io.raftdb.NodeId;
import io.raftdb.testkit.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code raftdb server} processes on free loopback ports, data and output under one
 * directory. Each child also stops if the test JVM dies; {@link #close} kills whatever is left.
 */
final class ServerProcesses implements AutoCloseable {
  private final Path dir;
  final PeerList peers;
  /** The same nodes at their client-only ports. */
  final PeerList clientPorts;
  /** The same nodes at their RESP (Redis protocol) ports. */
  final PeerList respPorts;
  private final Map<String, Process> running = new LinkedHashMap<>();
  /** Environment variables the processes started from now on get. */
  final Map<String, String> environment = new HashMap<>();

  ServerProcesses(Path dir, int n) throws IOException {
    this.dir = dir;
    peers = loopbackPeers(n);
    clientPorts = loopbackPeers(n);
    respPorts = loopbackPeers(n);
  }

  /** Node {@code id}'s RESP port. */
  int respPort(String id) {
    String address = respPorts.addresses().get(NodeId.of(id));
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  /** Nodes {@code n1..nn} on free loopback ports. */
  private static PeerList loopbackPeers(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      sb.append(i == 1 ? "" : ",").append("n").append(i).append('=')
          .append(FreePorts.loopbackAddress());
    }
    return PeerList.parse(sb.toString());
  }

  List<String> ids() {
    List<String> ids = new ArrayList<>();
    peers.addresses().keySet().forEach(id -> ids.add(id.value()));
    return ids;
  }

  void start(String id) throws IOException {
    start(id, peers, false);
  }

  /** These nodes of {@link #peers} only, at their member ports. */
  PeerList subset(PeerList of, List<String> ids) {
    StringBuilder sb = new StringBuilder();
    for (String id : ids) {
      sb.append(sb.length() == 0 ? "" : ",").append(id).append('=')
          .append(of.addresses().get(NodeId.of(id)));
    }
    return PeerList.parse(sb.toString());
  }

  /**
   * Starts node {@code id} with {@code memberPeers} as its {@code --peers}; {@code join}: as a
   * node that joins a running cluster ({@code --join}).
   */
  void start(String id, PeerList memberPeers, boolean join) throws IOException {
    List<String> command = ClusterCommand.javaWithFlags();
    command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        RaftDbCli.class.getName(), "server", "--id", id, "--peers", memberPeers.toString(),
        "--data", dir.resolve(id).toString(),
        "--client", clientPorts.addresses().get(NodeId.of(id)),
        "--resp", respPorts.addresses().get(NodeId.of(id)),
        "--exit-with", String.valueOf(ProcessHandle.current().pid())));
    if (join) {
      command.add("--join");
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(id + ".out").toFile()));
    builder.environment().putAll(environment);
    Process p = builder.start();
    running.put(id, p);
  }

  void startAll() throws IOException {
    for (String id : ids()) {
      start(id);
    }
  }

  /** {@code kill -9}: nothing is flushed or closed. */
  void kill(String id) throws InterruptedException {
    Process p = running.remove(id);
    if (p != null) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  boolean isRunning(String id) {
    Process p = running.get(id);
    return p != null && p.isAlive();
  }

  /** The end of a node's output, for a failure message. */
  String tail(String id) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(id + ".out"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (String id : new ArrayList<>(running.keySet())) {
      kill(id);
    }
  }
}
