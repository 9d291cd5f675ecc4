package io.raftdb.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.NodeStatus;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.StateMachine;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import io.raftdb.core.storage.snapshot.MemorySnapshotStorage;
import io.raftdb.sim.SimNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The store replicated by RaftDB: three nodes on the simulated network with in-memory storage.
 * The waits are generous and nothing here depends on speed; a slow machine only makes it slower.
 */
@Timeout(300)
class KvReplicationTest {
  private static final long WAIT_SECONDS = 120;
  /** Small, so that a few hundred commands make several snapshots and compact the logs. */
  private static final int SNAPSHOT_THRESHOLD = 50;

  private final List<NodeId> ids = List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
  private final SimNetwork network = new SimNetwork(2024);
  private final List<RaftNode> nodes = new ArrayList<>();
  private final List<RestoreCounting> machines = new ArrayList<>();
  private final KvCodec codec = new KvCodec();

  private void startGroup() {
    for (int i = 0; i < ids.size(); i++) {
      RaftConfig config = RaftConfig.defaults().toBuilder()
          .heartbeatInterval(Duration.ofMillis(50))
          .electionTimeout(Duration.ofMillis(1000))
          .snapshotThreshold(SNAPSHOT_THRESHOLD)
          .randomSeed(i + 1)
          .build();
      machines.add(new RestoreCounting(new KvStateMachine()));
      nodes.add(RaftNode.builder().id(ids.get(i)).members(ids)
          .stateMachine(machines.get(i))
          .transport(network.transport(ids.get(i)))
          .logStorage(new MemoryLogStorage()).metaStorage(new MemoryMetaStorage())
          .snapshotStorage(new MemorySnapshotStorage())
          .config(config)
          .build()
          .start());
    }
  }

  @AfterEach
  void close() {
    nodes.forEach(RaftNode::close);
    network.close();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  private RaftNode leader() throws InterruptedException {
    await("a leader", () -> nodes.stream().anyMatch(n -> n.status().isLeader()));
    return nodes.stream().filter(n -> n.status().isLeader()).findFirst().orElseThrow();
  }

  private <R> R submit(RaftNode node, KvCommand<R> command) throws Exception {
    return codec.decodeResult(command,
        node.submit(codec.encode(command)).get(WAIT_SECONDS, TimeUnit.SECONDS));
  }

  private <R> R query(RaftNode node, KvQuery<R> query, ReadConsistency consistency)
      throws Exception {
    return codec.decodeResult(query,
        node.query(codec.encode(query), consistency).get(WAIT_SECONDS, TimeUnit.SECONDS));
  }

  private List<KvEntry> everything(RaftNode node, ReadConsistency consistency) throws Exception {
    return query(node, KvQuery.scan(ByteString.EMPTY, Integer.MAX_VALUE), consistency).entries();
  }

  private static ByteString s(String text) {
    return ByteString.utf8(text);
  }

  /** Waits until {@code node} has applied everything {@code leader} has committed so far. */
  private static void awaitCaughtUp(RaftNode node, RaftNode leader) throws InterruptedException {
    long committed = leader.status().commitIndex();
    await(node.id() + " applying up to " + committed,
        () -> node.status().appliedIndex() >= committed);
  }

  @Test
  void aThreeNodeGroupAppliesEveryOperationAndEveryReplicaAgrees() throws Exception {
    startGroup();
    RaftNode leader = leader();
    assertEquals(Optional.empty(), submit(leader, KvCommand.put(s("a"), s("1"))));
    assertEquals(2L, submit(leader, KvCommand.append(s("a"), s("2"))));
    assertEquals(new CasResult(false, Optional.of(s("12"))),
        submit(leader, KvCommand.compareAndSet(s("a"), s("1"), s("3"))));
    assertEquals(new CasResult(true, Optional.of(s("3"))),
        submit(leader, KvCommand.compareAndSet(s("a"), s("12"), s("3"))));
    assertEquals(Optional.of(s("3")), submit(leader, KvCommand.delete(s("a"))));
    for (int i = 0; i < 120; i++) {
      submit(leader, KvCommand.put(s(String.format("k%03d", i)), s("v" + i)));
    }
    // A command no replica can read is applied as a refusal: the node carries on.
    byte[] refusal = leader.submit(new byte[] {9}).get(WAIT_SECONDS, TimeUnit.SECONDS);
    KvException e = assertThrows(KvException.class,
        () -> codec.decodeResult(KvCommand.delete(s("a")), refusal));
    assertEquals(KvError.UNSUPPORTED_VERSION, e.error());

    assertEquals(Optional.of(s("v7")),
        query(leader, KvQuery.get(s("k007")), ReadConsistency.LINEARIZABLE));
    assertEquals(120L, query(leader, KvQuery.count(), ReadConsistency.LINEARIZABLE));
    List<KvEntry> expected = everything(leader, ReadConsistency.LINEARIZABLE);
    assertEquals(120, expected.size());
    for (RaftNode node : nodes) {
      awaitCaughtUp(node, leader);
      assertEquals(expected, everything(node, ReadConsistency.STALE), node.id().toString());
    }
  }

  @Test
  void aFollowerCutOffWhileTheOthersCompactTheirLogsCatchesUpFromASnapshot()
      throws Exception {
    startGroup();
    RaftNode leader = leader();
    submit(leader, KvCommand.put(s("before"), s("cut")));
    RaftNode follower = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
    RestoreCounting followerMachine = machines.get(nodes.indexOf(follower));
    awaitCaughtUp(follower, leader);
    long followerApplied = follower.status().appliedIndex();

    network.disconnect(follower.id());
    int written = 0;
    // Write until the leader's log no longer holds what the follower needs next, so that only a
    // snapshot can bring it up to date.
    while (leader.status().firstLogIndex() <= followerApplied + 1) {
      for (int i = 0; i < SNAPSHOT_THRESHOLD; i++, written++) {
        submit(leader, KvCommand.put(s("key" + (written % 400)), s("value" + written)));
      }
      assertTrue(written < 100_000, "the leader never compacted its log: " + leader.status());
    }
    network.connect(follower.id());

    awaitCaughtUp(follower, leader);
    NodeStatus status = follower.status();
    assertTrue(status.firstLogIndex() > followerApplied + 1,
        "the follower caught up without a snapshot: " + status);
    assertTrue(followerMachine.restores.get() > 0, "the follower restored no snapshot");
    List<KvEntry> expected = everything(leader, ReadConsistency.LINEARIZABLE);
    assertEquals(Math.min(written, 400) + 1, expected.size());
    assertEquals(expected, everything(follower, ReadConsistency.STALE));
  }

  /** The store, counting the snapshots it restores. */
  private static final class RestoreCounting implements StateMachine {
    private final KvStateMachine store;
    final AtomicInteger restores = new AtomicInteger();

    RestoreCounting(KvStateMachine store) {
      this.store = store;
    }

    @Override
    public byte[] apply(long index, byte[] command) {
      return store.apply(index, command);
    }

    @Override
    public byte[] query(byte[] query) {
      return store.query(query);
    }

    @Override
    public SnapshotWriter captureSnapshot() {
      return store.captureSnapshot();
    }

    @Override
    public void restoreSnapshot(InputStream in) throws IOException {
      store.restoreSnapshot(in);
      restores.incrementAndGet();
    }
  }
}
