package io.raftdb.core.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.NodeId;
import io.raftdb.Membership;
import io.raftdb.Proposal;
import io.raftdb.RaftNode;
import io.raftdb.StateMachine;
import io.raftdb.core.storage.ForwardingLogStorage;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import io.raftdb.core.storage.snapshot.MemorySnapshotStorage;
import io.raftdb.message.RaftMessage;
import io.raftdb.message.RequestVoteResponse;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.transport.MessageHandler;
import io.raftdb.transport.Transport;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A snapshot that becomes durable while the event loop's input queue is full still compacts the
 * log: the notice that it is saved must not be an input the full queue drops.
 *
 * <p>One node, snapshots every {@value #THRESHOLD} entries. Its snapshot write is held at a gate,
 * its event loop is held in a log sync, and the transport fills the input queue to the brim
 * (inputs the loop would ignore); then the snapshot is let through, and only then the loop.
 */
@Timeout(180)
class SnapshotSavedHandOffTest {
  private static final NodeId SELF = NodeId.of("n1");
  private static final long THRESHOLD = 5;
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final CountDownLatch saveEntered = new CountDownLatch(1);
  private final CountDownLatch saveGate = new CountDownLatch(1);
  private final CountDownLatch syncEntered = new CountDownLatch(1);
  private final CountDownLatch syncGate = new CountDownLatch(1);
  private volatile boolean holdSyncs;
  private volatile MessageHandler handler;
  private RaftNode node;

  @AfterEach
  void close() {
    saveGate.countDown();
    syncGate.countDown();
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aSnapshotSavedWhileTheInputQueueIsFullStillCompactsTheLog() throws Exception {
    node = RaftNode.builder().id(SELF).members(List.of(SELF)).stateMachine(new TotalMachine())
        .transport(new CapturingTransport()).logStorage(new GatedSyncLog())
        .metaStorage(new MemoryMetaStorage()).snapshotStorage(new GatedSaveStore())
        .config(LoopbackCluster.FAST.withSnapshotThreshold(THRESHOLD)).build().start();
    await(() -> node.status().isLeader(), "leadership");

    // Commands one at a time until one lands at the threshold: the snapshot of that index starts
    // and waits at the gate, and no later entry makes another snapshot due.
    long index;
    do {
      Proposal p = node.propose(TotalMachine.encode(1));
      p.result().get(60, TimeUnit.SECONDS);
      index = p.position().get().index();
    } while (index < THRESHOLD);
    assertTrue(saveEntered.await(60, TimeUnit.SECONDS), "the snapshot write starts");

    holdSyncs = true;
    node.propose(TotalMachine.encode(1));
    assertTrue(syncEntered.await(60, TimeUnit.SECONDS), "the loop waits in its log sync");

    RaftMessage ignored = new RequestVoteResponse(0, NodeId.of("stranger"), 0, false, false);
    for (int i = 0; i < EventLoopRaftNode.MAX_QUEUED_INPUTS; i++) {
      handler.onMessage(ignored);
    }
    assertTrue(node.propose(TotalMachine.encode(1)).result().isCompletedExceptionally(),
        "the input queue is full");

    saveGate.countDown();
    await(SnapshotSavedHandOffTest::snapshotWriterIdle, "the snapshot writer to finish");
    holdSyncs = false;
    syncGate.countDown();

    await(() -> node.status().firstLogIndex() > THRESHOLD,
        "the log compacted through snapshot " + THRESHOLD);
  }

  /** Whether the node's snapshot thread has finished writing and reporting its snapshot. */
  private static boolean snapshotWriterIdle() {
    for (var e : Thread.getAllStackTraces().entrySet()) {
      if (e.getKey().getName().equals("raft-snapshot-" + SELF)) {
        for (StackTraceElement frame : e.getValue()) {
          if (frame.getClassName().equals(SnapshotTaker.class.getName())) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  private static void await(BooleanSupplier condition, String what) {
    long end = System.nanoTime() + WAIT_NANOS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        fail("waited 60 s for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  private static void awaitGate(CountDownLatch gate) {
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A log whose syncs wait at {@link #syncGate} while {@link #holdSyncs} is set. */
  private final class GatedSyncLog extends ForwardingLogStorage {
    GatedSyncLog() {
      super(new MemoryLogStorage());
    }

    @Override
    public void sync() {
      if (holdSyncs) {
        syncEntered.countDown();
        awaitGate(syncGate);
      }
      super.sync();
    }
  }

  /** A snapshot store whose saves wait at {@link #saveGate}. */
  private final class GatedSaveStore extends ForwardingSnapshotStorage {
    GatedSaveStore() {
      super(new MemorySnapshotStorage());
    }

    @Override
    public SnapshotInfo save(long index, long term, Membership members,
        StateMachine.SnapshotWriter state) {
      saveEntered.countDown();
      awaitGate(saveGate);
      return super.save(index, term, members, state);
    }
  }

  /** Sends nothing; keeps the node's handler so the test can play the network. */
  private final class CapturingTransport implements Transport {
    @Override
    public void start(MessageHandler h) {
      handler = h;
    }

    @Override
    public void send(NodeId to, RaftMessage message) {}

    @Override
    public void close() {}
  }
}
