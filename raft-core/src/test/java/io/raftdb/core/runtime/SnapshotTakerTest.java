package io.raftdb.core.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.raftdb.NodeId;
import io.raftdb.Membership;
import io.raftdb.StateMachine;
import io.raftdb.core.storage.snapshot.MemorySnapshotStorage;
import io.raftdb.storage.SnapshotInfo;
import java.io.DataOutputStream;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When the apply thread takes snapshots, and what a failed one costs: nothing but the snapshot. */
@Timeout(60)
class SnapshotTakerTest {
  private static final NodeId SELF = NodeId.of("n1");

  /** A state machine whose first capture throws; later ones capture the number of captures. */
  private static final class FirstCaptureFails implements StateMachine {
    final AtomicInteger captures = new AtomicInteger();

    @Override
    public byte[] apply(long index, byte[] command) {
      return command;
    }

    @Override
    public byte[] query(byte[] query) {
      return query;
    }

    @Override
    public SnapshotWriter captureSnapshot() {
      int n = captures.incrementAndGet();
      if (n == 1) {
        throw new IllegalStateException("capture " + n + " fails");
      }
      return out -> new DataOutputStream(out).writeInt(n);
    }
  }

  @Test
  void aCaptureThatThrowsIsSkippedAndTheNextThresholdTriesAgain() throws InterruptedException {
    FirstCaptureFails machine = new FirstCaptureFails();
    BlockingQueue<SnapshotInfo> saved = new LinkedBlockingQueue<>();
    SnapshotTaker taker = new SnapshotTaker(SELF, machine, new MemorySnapshotStorage(),
        new AppliedMembership(Membership.ofVoters(List.of(SELF))), 10, Long.MAX_VALUE, 0, saved::add);
    try {
      assertDoesNotThrow(() -> taker.afterApply(10, 1, 0), "a failed capture is tolerated");
      taker.afterApply(15, 1, 0);
      assertEquals(1, machine.captures.get(), "no new try before the next threshold");
      taker.afterApply(20, 1, 0);
      SnapshotInfo s = saved.poll(30, TimeUnit.SECONDS);
      assertNotNull(s, "the next threshold's snapshot is saved");
      assertEquals(20, s.index());
      assertEquals(2, machine.captures.get());
    } finally {
      taker.close();
    }
  }
}
