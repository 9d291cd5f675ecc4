package io.raftdb.sim.membership;

import io.raftdb.Membership;
import io.raftdb.MembershipChangeException;
import io.raftdb.NodeId;
import io.raftdb.NotLeaderException;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.RaftNodeBuilder;
import io.raftdb.sim.SimNetwork;
import io.raftdb.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Real RaftDB nodes (event loops, Chronicle logs, file snapshots) on one {@link SimNetwork},
 * started, stopped and re-membered by the membership scenarios. Nodes that a test adds start
 * with {@link RaftNodeBuilder#joining()}.
 */
final class SimGroup implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final RaftConfig CONFIG = RaftConfig.builder()
      .heartbeatInterval(Duration.ofMillis(20))
      .electionTimeout(Duration.ofMillis(300))
      .snapshotThreshold(200)
      .build();

  final SimNetwork network;
  private final Path dir;
  private final Map<NodeId, RaftNode> running = new ConcurrentHashMap<>();

  SimGroup(long seed, Path dir) {
    this.network = new SimNetwork(seed);
    this.dir = dir;
  }

  static NodeId id(int n) {
    return NodeId.of("n" + n);
  }

  /** Starts the founding members of a group. */
  void found(List<NodeId> founders) {
    founders.forEach(id -> start(id, founders));
  }

  /** Starts a node that joins the running group once its leader adds it. */
  RaftNode join(NodeId id) {
    return start(id, List.of());
  }

  /** Starts {@code id} from its data directory (what it had before, if anything). */
  RaftNode start(NodeId id, List<NodeId> founders) {
    RaftNodeBuilder b = RaftNode.builder().id(id).stateMachine(new AppendMachine())
        .transport(network.transport(id)).dataDirectory(dir.resolve(id.value())).config(CONFIG);
    RaftNode node = (founders.isEmpty() ? b.joining() : b.members(founders)).build().start();
    running.put(id, node);
    return node;
  }

  /** Stops {@code id} as a crash would leave it (its data stays for a restart). */
  void stop(NodeId id) {
    RaftNode node = running.remove(id);
    if (node != null) {
      node.close();
    }
  }

  RaftNode node(NodeId id) {
    return running.get(id);
  }

  /** The running node that leads in the highest term, if any. */
  Optional<RaftNode> currentLeader() {
    return running.values().stream().filter(n -> n.status().isLeader())
        .max((a, b) -> Long.compare(a.status().term(), b.status().term()));
  }

  RaftNode awaitLeader() throws InterruptedException {
    Await.until("a leader", WAIT, () -> currentLeader().isPresent());
    return currentLeader().orElseThrow();
  }

  /**
   * Runs a membership change on the leader, retrying while there is none or it refuses for a
   * passing reason (no entry of its term committed yet, another change in flight).
   */
  Membership change(Function<RaftNode, CompletableFuture<Membership>> change) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      RaftNode leader = awaitLeader();
      try {
        return change.apply(leader).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        boolean passing = e.getCause() instanceof NotLeaderException
            || (e.getCause() instanceof MembershipChangeException m && m.isTransient());
        if (!passing || System.nanoTime() - deadline > 0) {
          throw e;
        }
        Thread.sleep(20);
      } catch (TimeoutException e) {
        throw new AssertionError("membership change did not finish within " + WAIT, e);
      }
    }
  }

  /** Waits until every running node in {@code ids} has a membership that {@code ok} accepts. */
  void awaitMembership(List<NodeId> ids, Predicate<Membership> ok, String what)
      throws InterruptedException {
    Await.until(what + " on " + ids, WAIT, () -> ids.stream()
        .allMatch(id -> ok.test(node(id).status().membership())));
  }

  @Override
  public void close() {
    running.keySet().forEach(this::stop);
    network.close();
  }
}
