package io.raftdb.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.NodeClosedException;
import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.RaftNodeBuilder;
import io.raftdb.ReadConsistency;
import io.raftdb.StateMachine;
import io.raftdb.core.session.SessionStateMachine;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import io.raftdb.core.storage.snapshot.MemorySnapshotStorage;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotStorage;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RaftNode#takeSnapshot}: the application's own snapshots, as the labs' applier calls
 * {@code Snapshot(k)} from the apply loop. Asked from inside {@code apply}, the snapshot is of
 * exactly that index, even in the middle of a batch; the apply thread never waits for it; nothing
 * is lost through it; and uses that cannot work fail with a clear error.
 */
@Timeout(120)
class RequestedSnapshotTest {
  private static final NodeId SELF = NodeId.of("n1");
  /** The policy never snapshots: every snapshot here is asked for. */
  private static final RaftConfig NO_POLICY = LoopbackCluster.FAST
      .withSnapshotThreshold(Long.MAX_VALUE).withSnapshotThresholdBytes(Long.MAX_VALUE);
  private static final long WAIT_SECONDS = 60;

  private final List<RaftNode> nodes = new ArrayList<>();

  @AfterEach
  void close() {
    nodes.forEach(RaftNode::close);
  }

  /**
   * The commands it applied, by index, which is its whole state and its snapshot. Every
   * {@code every}-th command it asks for a snapshot from inside {@code apply}, as the labs'
   * applier does, and remembers the index it asked at with the future it got.
   */
  private static final class SnapshottingMachine implements StateMachine {
    final int every;
    volatile RaftNode node;
    final List<long[]> applied = new ArrayList<>(); // apply thread; read after it is done
    final Map<Long, CompletableFuture<SnapshotInfo>> asked = new ConcurrentHashMap<>();
    volatile CountDownLatch gate = new CountDownLatch(0);

    SnapshottingMachine(int every) {
      this.every = every;
    }

    @Override
    public byte[] apply(long index, byte[] command) {
      try {
        gate.await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      applied.add(new long[] {index, ByteBuffer.wrap(command).getLong()});
      if (every > 0 && applied.size() % every == 0) {
        asked.put(index, node.takeSnapshot()); // returns at once: no wait on the apply thread
      }
      return command;
    }

    @Override
    public byte[] query(byte[] query) {
      return ByteBuffer.allocate(8).putLong(applied.size()).array();
    }

    @Override
    public SnapshotWriter captureSnapshot() {
      List<long[]> state = List.copyOf(applied);
      return out -> writeCommands(out, state);
    }

    @Override
    public void restoreSnapshot(InputStream in) throws IOException {
      applied.clear();
      applied.addAll(readCommands(in));
    }
  }

  static void writeCommands(OutputStream out, List<long[]> commands) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(commands.size());
    for (long[] c : commands) {
      data.writeLong(c[0]);
      data.writeLong(c[1]);
    }
    data.flush();
  }

  static List<long[]> readCommands(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int n = data.readInt();
    List<long[]> commands = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      commands.add(new long[] {data.readLong(), data.readLong()});
    }
    return commands;
  }

  /** The commands a stored snapshot holds, read through the runtime's own session framing. */
  static List<long[]> contents(SnapshotStorage store, SnapshotInfo snapshot) throws IOException {
    SnapshottingMachine probe = new SnapshottingMachine(0);
    try (InputStream in = store.openState(snapshot)) {
      new SessionStateMachine(probe).restoreSnapshot(in);
    }
    return probe.applied;
  }

  private RaftNode startNode(StateMachine machine, MemoryLogStorage log, MemoryMetaStorage meta,
      SnapshotStorage snapshots) {
    RaftNodeBuilder builder = RaftNode.builder().id(SELF).members(List.of(SELF))
        .stateMachine(machine).transport(new LoopbackNetwork().transport(SELF)).logStorage(log)
        .metaStorage(meta).config(NO_POLICY);
    if (snapshots != null) {
      builder.snapshotStorage(snapshots);
    }
    RaftNode node = builder.build();
    nodes.add(node);
    return node.start();
  }

  private static byte[] command(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  private static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void askedFromInsideApplyTheSnapshotIsOfExactlyThatIndexEvenInsideABatch() throws Exception {
    SnapshottingMachine machine = new SnapshottingMachine(10);
    MemorySnapshotStorage store = new MemorySnapshotStorage(1000);
    MemoryLogStorage log = new MemoryLogStorage();
    MemoryMetaStorage meta = new MemoryMetaStorage();
    RaftNode node = startNode(machine, log, meta, store);
    machine.node = node;
    LoopbackCluster.await(() -> node.status().isLeader(), "leadership");

    // Held at the state machine, 95 commands commit together and reach it in large batches, so
    // most requests come from the middle of a batch.
    machine.gate = new CountDownLatch(1);
    List<CompletableFuture<byte[]>> results = new ArrayList<>();
    for (int i = 1; i <= 95; i++) {
      results.add(node.submit(command(i)));
    }
    LoopbackCluster.await(() -> node.status().commitIndex() >= 96, "all committed");
    machine.gate.countDown();
    for (int i = 1; i <= 95; i++) {
      assertEquals(i, ByteBuffer.wrap(get(results.get(i - 1))).getLong(), "result " + i);
    }

    assertEquals(9, machine.asked.size(), "a request every 10 commands");
    for (Map.Entry<Long, CompletableFuture<SnapshotInfo>> e : machine.asked.entrySet()) {
      SnapshotInfo saved = get(e.getValue());
      assertTrue(saved.index() >= e.getKey(), "snapshot " + saved + " asked at " + e.getKey());
      List<long[]> held = contents(store, saved);
      assertEquals(saved.index(), held.get(held.size() - 1)[0],
          "the snapshot at " + saved.index() + " ends with the command at its index");
      for (int i = 0; i < held.size(); i++) {
        assertEquals(i + 1, held.get(i)[1], "command " + (i + 1) + " in " + saved);
      }
    }
    long exact = machine.asked.entrySet().stream()
        .filter(e -> e.getValue().join().index() == e.getKey()).count();
    assertTrue(exact >= 1, "some request was served by a snapshot of its own index");
    LoopbackCluster.await(() -> node.status().firstLogIndex() > 1, "the log compacted");

    // Nothing lost: a node restarted on the durable state finds all 95 commands, in order.
    node.close();
    SnapshottingMachine restarted = new SnapshottingMachine(0);
    RaftNode again = startNode(restarted, log.durableCopy(), meta.durableCopy(),
        store.durableCopy());
    LoopbackCluster.await(() -> again.status().isLeader(), "leadership after the restart");
    get(again.submit(command(96)));
    byte[] count = get(again.query(new byte[0], ReadConsistency.LINEARIZABLE));
    assertEquals(96, ByteBuffer.wrap(count).getLong());
  }

  @Test
  void askedFromElsewhereTheSnapshotIsAtTheAppliedIndex() throws Exception {
    SnapshottingMachine machine = new SnapshottingMachine(0);
    MemorySnapshotStorage store = new MemorySnapshotStorage();
    RaftNode node = startNode(machine, new MemoryLogStorage(), new MemoryMetaStorage(), store);
    LoopbackCluster.await(() -> node.status().isLeader(), "leadership");
    for (int i = 1; i <= 5; i++) {
      get(node.submit(command(i)));
    }
    // The leader's no-op at 1, then the commands at 2..6; the status catches up with the apply
    // thread a little after the results complete.
    LoopbackCluster.await(() -> node.status().appliedIndex() == 6, "index 6 applied");
    SnapshotInfo saved = get(node.takeSnapshot());
    assertEquals(6, saved.index());
    assertEquals(5, contents(store, saved).size());
    assertSame(saved, get(node.takeSnapshot()), "nothing applied since: the same snapshot");
  }

  @Test
  void requestsWhileASnapshotIsWrittenAreCapturedAtOnceAndTheNewestIsWrittenNext()
      throws Exception {
    CountDownLatch saveEntered = new CountDownLatch(1);
    CountDownLatch saveGate = new CountDownLatch(1);
    MemorySnapshotStorage inner = new MemorySnapshotStorage();
    SnapshotStorage gated = new ForwardingSnapshotStorage(inner) {
      @Override
      public SnapshotInfo save(long index, long term, Membership members,
          StateMachine.SnapshotWriter state) {
        saveEntered.countDown();
        try {
          saveGate.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.save(index, term, members, state);
      }
    };
    SnapshottingMachine machine = new SnapshottingMachine(0);
    RaftNode node = startNode(machine, new MemoryLogStorage(), new MemoryMetaStorage(), gated);
    try {
      LoopbackCluster.await(() -> node.status().isLeader(), "leadership");
      get(node.submit(command(1)));
      CompletableFuture<SnapshotInfo> first = node.takeSnapshot();
      assertTrue(saveEntered.await(WAIT_SECONDS, TimeUnit.SECONDS), "the first write starts");
      get(node.submit(command(2)));
      CompletableFuture<SnapshotInfo> second = node.takeSnapshot();
      get(node.submit(command(3))); // applied after the second capture: the capture is prompt
      CompletableFuture<SnapshotInfo> third = node.takeSnapshot();
      // Two reads through the apply thread, which looks for requests after each item it handles:
      // by the second answer it has captured the third request (else the first write could end
      // first, and the second capture be written alone).
      get(node.query(new byte[0], ReadConsistency.STALE));
      get(node.query(new byte[0], ReadConsistency.STALE));
      LoopbackCluster.await(() -> !second.isDone() && machine.applied.size() == 3, "applied");
      assertFalse(first.isDone(), "the first write is held");
      saveGate.countDown();
      SnapshotInfo one = get(first);
      SnapshotInfo newest = get(third);
      assertSame(newest, get(second), "the newest capture served the one it replaced");
      assertEquals(3, contents(inner, newest).size());
      assertEquals(1, contents(inner, one).size());
    } finally {
      saveGate.countDown();
    }
  }

  @Test
  void usesThatCannotWorkFailWithAClearError() throws Exception {
    // Not started.
    RaftNode idle = RaftNode.builder().id(SELF).members(List.of(SELF))
        .stateMachine(new TotalMachine()).transport(new LoopbackNetwork().transport(SELF))
        .logStorage(new MemoryLogStorage()).metaStorage(new MemoryMetaStorage())
        .config(NO_POLICY).build();
    nodes.add(idle);
    assertFailsWith(IllegalStateException.class, "not started", idle.takeSnapshot());

    // No snapshot storage.
    RaftNode noStore = startNode(new TotalMachine(), new MemoryLogStorage(),
        new MemoryMetaStorage(), null);
    LoopbackCluster.await(() -> noStore.status().appliedIndex() >= 1, "the no-op applied");
    assertFailsWith(IllegalStateException.class, "no snapshot storage", noStore.takeSnapshot());

    // A state machine that takes no snapshots.
    RaftNode noSnapshots = startNode(new CounterStateMachine(), new MemoryLogStorage(),
        new MemoryMetaStorage(), new MemorySnapshotStorage());
    LoopbackCluster.await(() -> noSnapshots.status().appliedIndex() >= 1, "the no-op applied");
    assertFailsWith(UnsupportedOperationException.class, "takes no snapshots",
        noSnapshots.takeSnapshot());

    // Nothing applied: a member of three that never hears from the others.
    RaftNode alone = RaftNode.builder().id(SELF)
        .members(List.of(SELF, NodeId.of("n2"), NodeId.of("n3")))
        .stateMachine(new TotalMachine()).transport(new LoopbackNetwork().transport(SELF))
        .logStorage(new MemoryLogStorage()).metaStorage(new MemoryMetaStorage())
        .snapshotStorage(new MemorySnapshotStorage()).config(NO_POLICY).build();
    nodes.add(alone);
    alone.start();
    assertFailsWith(IllegalStateException.class, "applied nothing", alone.takeSnapshot());

    // Closed.
    alone.close();
    assertFailsWith(NodeClosedException.class, "", alone.takeSnapshot());
  }

  @Test
  void onlyAStateMachineWithTheDefaultBatchIsAppliedOneCommandAtATime() {
    StateMachine batching = new StateMachine() {
      @Override
      public byte[] apply(long index, byte[] command) {
        return command;
      }

      @Override
      public List<byte[]> applyBatch(List<Command> commands) {
        return commands.stream().map(Command::bytes).toList();
      }

      @Override
      public byte[] query(byte[] query) {
        return query;
      }
    };
    assertFalse(new SessionStateMachine(batching).appliesOneCommandPerCall());
    assertTrue(new SessionStateMachine(new TotalMachine()).appliesOneCommandPerCall());
  }

  private static void assertFailsWith(Class<? extends Throwable> type, String message,
      CompletableFuture<SnapshotInfo> future) throws InterruptedException {
    try {
      SnapshotInfo s = future.get(WAIT_SECONDS, TimeUnit.SECONDS);
      fail("expected " + type.getSimpleName() + ", got snapshot " + s);
    } catch (ExecutionException e) {
      assertInstanceOf(type, e.getCause());
      assertTrue(e.getCause().getMessage().contains(message), e.getCause().getMessage());
    } catch (TimeoutException e) {
      fail("no answer within " + WAIT_SECONDS + " s");
    }
  }
}
