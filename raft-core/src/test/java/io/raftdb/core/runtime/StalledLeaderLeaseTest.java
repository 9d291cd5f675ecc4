package io.raftdb.core.runtime;

import static io.raftdb.core.runtime.CounterStateMachine.decode;
import static io.raftdb.core.runtime.CounterStateMachine.encode;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.core.storage.ForwardingLogStorage;
import io.raftdb.storage.LogStorage;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A leader whose event loop is held up (here: a log sync that takes 3 s, as fdatasync on a
 * shared disk or a GC pause can) fires only a few catch-up ticks afterwards, so its tick count
 * falls behind real time. Its lease must still run out in real time: a LEASE read it takes
 * right after the stall must not return a value that another leader has overwritten meanwhile.
 */
class StalledLeaderLeaseTest {

  @Test
  void aLeaseReadAfterALongSyncStallIsNotStale() throws Exception {
    Map<NodeId, StallableLog> logs = new HashMap<>();
    try (LoopbackCluster c = LoopbackCluster.start(3, LoopbackCluster.FAST, log -> {
      StallableLog s = new StallableLog(log);
      logs.put(NodeId.of("n" + (logs.size() + 1)), s);
      return s;
    })) {
      RaftNode oldLeader = c.awaitLeader();
      oldLeader.submit(encode(1)).get(30, TimeUnit.SECONDS);
      // A read confirmed by a quorum round: the old leader holds a fresh lease.
      oldLeader.query(new byte[0], ReadConsistency.LINEARIZABLE).get(30, TimeUnit.SECONDS);

      StallableLog stalled = logs.get(oldLeader.id());
      stalled.stallNextSync();
      c.network.isolate(oldLeader.id());
      oldLeader.submit(encode(100)); // makes the old leader sync; it will never commit
      assertTrue(stalled.awaitStalled(), "the old leader never synced");
      long stallStarted = System.nanoTime();

      RaftNode newLeader = awaitLeaderAmong(c, oldLeader);
      long value = decode(newLeader.submit(encode(10)).get(30, TimeUnit.SECONDS));
      long stalledFor = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stallStarted);
      Thread.sleep(Math.max(0, 3_000 - stalledFor)); // the stall lasts at least 3 s in all

      // Queued while the loop is still stuck, so that it is taken before any catch-up tick.
      CompletableFuture<byte[]> read = oldLeader.query(new byte[0], ReadConsistency.LEASE);
      stalled.release();
      try {
        long seen = decode(read.get(30, TimeUnit.SECONDS));
        assertTrue(seen >= value, "a LEASE read returned " + seen + " after " + value
            + " was committed by the new leader");
      } catch (ExecutionException expected) {
        // The old leader could not confirm the read and gave up leadership: correct.
      }
    }
  }

  private static RaftNode awaitLeaderAmong(LoopbackCluster c, RaftNode excluded) {
    RaftNode[] found = new RaftNode[1];
    LoopbackCluster.await(() -> {
      for (RaftNode n : c.others(excluded)) {
        if (n.status().isLeader()) {
          found[0] = n;
          return true;
        }
      }
      return false;
    }, "a new leader among the others");
    return found[0];
  }

  /** A log whose next sync blocks until released, as a very slow disk would. */
  private static final class StallableLog extends ForwardingLogStorage {
    private volatile CountDownLatch gate;
    private final CountDownLatch entered = new CountDownLatch(1);

    StallableLog(LogStorage inner) {
      super(inner);
    }

    void stallNextSync() {
      gate = new CountDownLatch(1);
    }

    boolean awaitStalled() throws InterruptedException {
      return entered.await(30, TimeUnit.SECONDS);
    }

    void release() {
      gate.countDown();
    }

    @Override
    public void sync() {
      CountDownLatch g = gate;
      if (g != null) {
        entered.countDown();
        try {
          g.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        gate = null;
      }
      super.sync();
    }
  }
}
