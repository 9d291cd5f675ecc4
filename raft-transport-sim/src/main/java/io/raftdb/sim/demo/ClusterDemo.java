package io.raftdb.sim.demo;

import io.raftdb.NodeId;
import io.raftdb.NodeStatus;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.sim.SimNetwork;
import io.raftdb.transport.TransportFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A three-node group in one process, on the simulated network, each node keeping its log and
 * hard state on disk (Chronicle Queue, in a temporary directory): it elects a leader, replicates
 * commands, loses its leader, elects another, carries on, and brings the lost node back from its
 * files. Every step is printed as it happens.
 */
public final class ClusterDemo {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final RaftConfig CONFIG = RaftConfig.defaults()
      .withHeartbeatInterval(Duration.ofMillis(50))
      .withElectionTimeout(Duration.ofMillis(300));

  private final SimNetwork network = new SimNetwork(42);
  private final List<NodeId> ids = List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
  private final Map<NodeId, RaftNode> nodes = new LinkedHashMap<>();
  private final Path dataDirectory;
  private final Map<NodeId, JournalStateMachine> machines = new LinkedHashMap<>();
  private final long startNanos = System.nanoTime();

  private ClusterDemo() throws IOException {
    dataDirectory = Files.createTempDirectory("raftdb-demo-");
  }

  /** Runs the demo; exits with status 1 if any step fails. */
  public static void main(String[] args) throws Exception {
    ClusterDemo demo = new ClusterDemo();
    try {
      demo.run();
      System.out.println("\nDemo finished: the group survived the loss of a node.");
    } catch (Exception e) {
      System.out.println("\nDemo FAILED: " + e);
      System.exit(1);
    } finally {
      demo.stop();
    }
  }

  private void run() throws Exception {
    say("Starting a three-node Raft group " + ids + " on the simulated network, data in "
        + dataDirectory);
    for (NodeId id : ids) {
      start(id);
    }
    NodeId leader = awaitLeader(Optional.empty());
    say(leader + " was elected leader in term " + nodes.get(leader).status().term());

    replicate(leader, "set x=1", "set y=2", "append x+=3");
    showReplicas();

    say("Stopping the leader " + leader + " abruptly (no sync, no goodbye)");
    nodes.remove(leader).close();
    NodeId next = awaitLeader(Optional.of(leader));
    say(next + " took over as leader in term " + nodes.get(next).status().term());
    replicate(next, "set z=9", "append y+=1");
    showReplicas();

    say("Restarting " + leader + " from its files");
    start(leader);
    long target = nodes.get(next).status().commitIndex();
    awaitApplied(leader, target);
    say(leader + " caught up to index " + target + " as a follower");
    showReplicas();
    for (NodeId id : ids) {
      if (!machines.get(id).journal().equals(machines.get(next).journal())) {
        throw new IllegalStateException(id + " diverged: " + machines.get(id).journal());
      }
    }
    say("All three replicas hold the same journal: " + machines.get(next).journal());
  }

  private void start(NodeId id) {
    JournalStateMachine machine = new JournalStateMachine();
    machines.put(id, machine);
    Map<NodeId, String> addresses = new LinkedHashMap<>();
    ids.forEach(peer -> addresses.put(peer, "demo"));
    nodes.put(id, RaftNode.builder()
        .id(id)
        .members(ids)
        .stateMachine(machine)
        .transport(TransportFactory.named("sim").create(id, addresses,
            Map.of("sim.network", network)))
        .dataDirectory(dataDirectory.resolve(id.value()))
        .config(CONFIG)
        .build().start());
  }

  private void replicate(NodeId leader, String... commands) throws Exception {
    List<CompletableFuture<byte[]>> results = new ArrayList<>();
    for (String c : commands) {
      results.add(nodes.get(leader).submit(c.getBytes(StandardCharsets.UTF_8)));
    }
    for (int i = 0; i < commands.length; i++) {
      byte[] r = results.get(i).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      say("  committed '" + commands[i] + "' -> " + new String(r, StandardCharsets.UTF_8));
    }
  }

  private void showReplicas() throws InterruptedException {
    long target = nodes.values().stream().mapToLong(n -> n.status().commitIndex()).max()
        .orElse(0);
    for (NodeId id : nodes.keySet()) {
      awaitApplied(id, target);
    }
    for (RaftNode n : nodes.values()) {
      NodeStatus s = n.status();
      say(String.format("  %s  %-9s term %d  commit %d  applied %d  journal %s", s.id(), s.role(),
          s.term(), s.commitIndex(), s.appliedIndex(), machines.get(s.id()).journal()));
    }
  }

  private NodeId awaitLeader(Optional<NodeId> not) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      for (RaftNode n : nodes.values()) {
        NodeStatus s = n.status();
        if (s.isLeader() && !not.equals(Optional.of(s.id()))) {
          return s.id();
        }
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("no leader within " + PATIENCE);
  }

  private void awaitApplied(NodeId id, long index) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (nodes.get(id).status().appliedIndex() < index) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(id + " did not apply index " + index);
      }
      Thread.sleep(10);
    }
  }

  private void say(String line) {
    long ms = (System.nanoTime() - startNanos) / 1_000_000;
    System.out.printf("[%6d ms] %s%n", ms, line);
  }

  private void stop() throws IOException {
    nodes.values().forEach(RaftNode::close);
    network.close();
    try (Stream<Path> files = Files.walk(dataDirectory)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
