package io.raftdb.core.runtime;

import static io.raftdb.core.runtime.CounterStateMachine.decode;
import static io.raftdb.core.runtime.CounterStateMachine.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.RaftConfig;
import io.raftdb.RaftNode;
import io.raftdb.core.storage.ForwardingLogStorage;
import io.raftdb.message.LogEntry;
import io.raftdb.storage.LogStorage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Pipelined persistence in the runtime: on a log that syncs concurrently, a node writes entries
 * and goes on stepping while its sync runs on the sync thread, and it acknowledges entries only
 * once a sync covering them has returned. With both followers' syncs held back, the leader writes,
 * replicates and syncs, the followers keep writing what arrives, yet nothing commits; the first
 * follower sync that returns commits everything it covered.
 */
class PipelinedPersistenceTest {

  @Test
  void followersAcknowledgeOnlyWhatTheirSyncsCoveredAndKeepWritingMeanwhile() throws Exception {
    Map<NodeId, GatedLog> logs = new HashMap<>();
    try (LoopbackCluster c = startGated(LoopbackCluster.FAST, logs)) {
      RaftNode leader = c.awaitLeader();
      assertEquals(1, decode(leader.submit(encode(1)).get(30, TimeUnit.SECONDS)));
      List<RaftNode> followers = c.others(leader);
      // The status is published once per loop iteration: wait until it shows all committed.
      LoopbackCluster.await(() -> leader.status().commitIndex() == leader.status().lastLogIndex(),
          "the leader's status to show everything committed");
      long committedBefore = leader.status().commitIndex();
      for (RaftNode f : followers) {
        logs.get(f.id()).holdSyncs();
      }

      CompletableFuture<byte[]> first = leader.submit(encode(2));
      long firstIndex = committedBefore + 1;
      for (RaftNode f : followers) {
        assertTrue(logs.get(f.id()).awaitHeldSync(), f.id() + " never synced the new entry");
      }
      // Their loops are not stuck in the sync: they take and write the next entry meanwhile.
      CompletableFuture<byte[]> second = leader.submit(encode(3));
      for (RaftNode f : followers) {
        LoopbackCluster.await(() -> f.status().lastLogIndex() >= firstIndex + 1,
            f.id() + " writes the second entry while its first sync is held");
      }
      Thread.sleep(300); // time for a wrong acknowledgement to commit
      assertEquals(committedBefore, leader.status().commitIndex(),
          "committed although no follower's sync has returned");
      assertFalse(first.isDone());

      logs.get(followers.get(0).id()).release();
      assertEquals(3, decode(first.get(30, TimeUnit.SECONDS)));
      assertEquals(6, decode(second.get(30, TimeUnit.SECONDS)));
      logs.get(followers.get(1).id()).release();
      assertTrue(logs.get(leader.id()).syncedConcurrently(), "the leader never synced off its loop");
    }
  }

  @Test
  void withPipelinedPersistenceOffTheEventLoopSyncsItself() throws Exception {
    Map<NodeId, GatedLog> logs = new HashMap<>();
    try (LoopbackCluster c = startGated(LoopbackCluster.FAST.withPipelinedPersistence(false),
        logs)) {
      RaftNode leader = c.awaitLeader();
      assertEquals(1, decode(leader.submit(encode(1)).get(30, TimeUnit.SECONDS)));
      for (GatedLog log : logs.values()) {
        assertFalse(log.syncedConcurrently(), "a sync ran on a sync thread");
      }
      assertTrue(logs.get(leader.id()).syncs > 0, "the leader never synced");
    }
  }

  /** Three nodes whose logs are {@link GatedLog}s, put into {@code logs} by node id. */
  private static LoopbackCluster startGated(RaftConfig config, Map<NodeId, GatedLog> logs) {
    return LoopbackCluster.start(3, config, log -> {
      GatedLog g = new GatedLog(log);
      logs.put(NodeId.of("n" + (logs.size() + 1)), g);
      return g;
    });
  }

  /**
   * A log that syncs concurrently (its writes and reads serialised by its own lock) and whose
   * syncs can be held back, as a very slow disk would hold them.
   */
  private static final class GatedLog extends ForwardingLogStorage {
    private final Semaphore held = new Semaphore(0);
    private final Semaphore released = new Semaphore(0);
    private volatile boolean holding;
    private volatile boolean syncedOffLoop;
    private volatile int syncs;

    GatedLog(LogStorage inner) {
      super(inner);
    }

    void holdSyncs() {
      holding = true;
    }

    boolean awaitHeldSync() throws InterruptedException {
      return held.tryAcquire(30, TimeUnit.SECONDS);
    }

    void release() {
      holding = false;
      released.release(Integer.MAX_VALUE / 2);
    }

    boolean syncedConcurrently() {
      return syncedOffLoop;
    }

    @Override
    public boolean syncsConcurrently() {
      return true;
    }

    @Override
    public void sync() {
      syncedOffLoop |= Thread.currentThread().getName().startsWith("raft-sync-");
      syncs++;
      if (holding) {
        held.release();
        try {
          released.tryAcquire(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      synchronized (this) {
        super.sync();
      }
    }

    @Override
    public synchronized long firstIndex() {
      return super.firstIndex();
    }

    @Override
    public synchronized long lastIndex() {
      return super.lastIndex();
    }

    @Override
    public synchronized long term(long index) {
      return super.term(index);
    }

    @Override
    public synchronized List<LogEntry> entries(long from, long toExclusive, long maxBytes) {
      return new ArrayList<>(super.entries(from, toExclusive, maxBytes));
    }

    @Override
    public synchronized void append(List<LogEntry> entries) {
      super.append(entries);
    }

    @Override
    public synchronized void truncateSuffix(long fromIndex) {
      super.truncateSuffix(fromIndex);
    }

    @Override
    public synchronized void compactPrefix(long upToIndex) {
      super.compactPrefix(upToIndex);
    }

    @Override
    public synchronized void reset(long snapshotIndex, long snapshotTerm) {
      super.reset(snapshotIndex, snapshotTerm);
    }
  }
}
