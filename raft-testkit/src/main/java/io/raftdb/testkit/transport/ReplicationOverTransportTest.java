package io.raftdb.testkit.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftdb.NodeId;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.StateMachine;
import io.raftdb.testkit.Await;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same replication scenarios over any transport, chosen only by its name: a three-node
 * group (logs on disk under a temporary directory) elects a leader and replicates, survives the
 * loss of its leader, and brings a restarted node back up to date. Extend it with the name and
 * fresh addresses; the runtime ({@code raft-core}) and the transport must be on the class path,
 * and the JVM must have Chronicle Queue's flags.
 */
@Timeout(300)
public abstract class ReplicationOverTransportTest {
  private static final long WAIT_SECONDS = 60;
  private static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);
  private static final List<NodeId> IDS =
      List.of(NodeId.of("r1"), NodeId.of("r2"), NodeId.of("r3"));

  @TempDir
  Path dir;

  private Map<NodeId, String> addresses;
  private final RaftNode[] nodes = new RaftNode[IDS.size()];
  private final Sum[] machines = new Sum[IDS.size()];

  /** The transport's name, as its factory gives it. */
  protected abstract String transportName();

  /** Addresses for {@code ids} that no other test uses. */
  protected abstract Map<NodeId, String> newAddresses(List<NodeId> ids) throws Exception;

  /** Transport options; none by default. */
  protected Map<String, ?> transportOptions() {
    return Map.of();
  }

  /** Adds each command's number to a total; answers queries with the total. */
  private static final class Sum implements StateMachine {
    volatile long total;

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

  private void start(int i) {
    machines[i] = new Sum();
    nodes[i] = RaftNode.builder().id(IDS.get(i)).members(IDS).stateMachine(machines[i])
        .transport(transportName(), addresses, transportOptions())
        .dataDirectory(dir.resolve(IDS.get(i).value()))
        .config(RaftConfig.defaults().toBuilder().randomSeed(i + 1).build())
        .build().start();
  }

  @AfterEach
  void closeAll() {
    for (RaftNode n : nodes) {
      if (n != null) {
        n.close();
      }
    }
  }

  private int awaitLeader() throws InterruptedException {
    int[] found = {-1};
    Await.until("a leader", WAIT, () -> {
      for (int i = 0; i < nodes.length; i++) {
        if (nodes[i] != null && nodes[i].status().isRunning() && nodes[i].status().isLeader()) {
          found[0] = i;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  /** Submits {@code count} ones at the leader, all in flight at once (a quiet group keeps it). */
  private void submitOnes(int count) throws Exception {
    RaftNode leader = nodes[awaitLeader()];
    List<CompletableFuture<byte[]>> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      all.add(leader.submit(ByteBuffer.allocate(8).putLong(1).array()));
    }
    for (CompletableFuture<byte[]> f : all) {
      f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  private void awaitTotals(long total) throws InterruptedException {
    for (int i = 0; i < nodes.length; i++) {
      Sum m = machines[i];
      Await.until(IDS.get(i) + " applies to " + total, WAIT, () -> m.total == total);
    }
  }

  @Test
  void aGroupElectsALeaderAndEveryNodeAppliesTheSameCommands() throws Exception {
    addresses = newAddresses(IDS);
    for (int i = 0; i < IDS.size(); i++) {
      start(i);
    }
    submitOnes(200);
    awaitTotals(200);
    RaftNode leader = nodes[awaitLeader()];
    assertEquals(200, ByteBuffer.wrap(leader.query(new byte[0], ReadConsistency.LINEARIZABLE)
        .get(WAIT_SECONDS, TimeUnit.SECONDS)).getLong());
  }

  @Test
  void theGroupCarriesOnWithoutItsLeaderAndARestartedNodeCatchesUp() throws Exception {
    addresses = newAddresses(IDS);
    for (int i = 0; i < IDS.size(); i++) {
      start(i);
    }
    submitOnes(100);
    awaitTotals(100);
    int old = awaitLeader();
    nodes[old].close();
    nodes[old] = null;
    RaftNode next = nodes[awaitLeader()];
    for (int i = 0; i < 100; i++) {
      next.submit(ByteBuffer.allocate(8).putLong(1).array()).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    start(old); // on its data directory: it replays its log, then catches up
    awaitTotals(200);
  }
}
