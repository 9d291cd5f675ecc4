package io.raftdb.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.LogPosition;
import io.raftdb.NodeId;
import io.raftdb.Membership;
import io.raftdb.RaftMetrics;
import io.raftdb.ReadConsistency;
import io.raftdb.core.session.SessionStateMachine;
import io.raftdb.core.storage.snapshot.MemorySnapshotStorage;
import io.raftdb.message.EntryKind;
import io.raftdb.message.LogEntry;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotStorage;
import io.raftdb.storage.StorageException;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jctools.queues.SpscUnboundedArrayQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The apply thread loading a snapshot the leader installed, when the store no longer holds it
 * (it keeps only the newest two, and newer ones arrived before the apply thread got to it): it
 * loads the newest stored snapshot instead, which covers the installed one, and skips the entries
 * that snapshot already holds. When nothing usable can be loaded, the node neither stops nor
 * applies entries on top of its old state.
 *
 * <p>The state machine is a running total (the command at index i adds i), so a wrong order or a
 * skipped or doubled entry shows in the total.
 */
@Timeout(60)
class ApplyLoopRestoreTest {
  private static final NodeId SELF = NodeId.of("n1");
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final NodeLifecycle lifecycle = new NodeLifecycle(SELF, () -> { });
  private final TotalMachine machine = new TotalMachine();
  private Mailbox mailbox;
  private ApplyLoop loop;
  private Thread thread;

  @AfterEach
  void stop() throws InterruptedException {
    if (thread != null) {
      lifecycle.stop(null);
      lifecycle.markLoopFinished();
      mailbox.wakeNow();
      thread.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(thread.isAlive(), "the apply thread ends");
    }
  }

  private Duration maxReadWait = Duration.ofSeconds(30);

  /** A follower that is behind or cut off fails a read it cannot serve in time. */
  @Test
  void aReadWaitingTooLongForItsIndexFails() throws Exception {
    maxReadWait = Duration.ofMillis(100);
    start(new MemorySnapshotStorage());
    ReadRequest read = new ReadRequest(new byte[0], ReadConsistency.LINEARIZABLE);
    read.readIndex = 5; // never applied here
    mailbox.offer(read);
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> read.future.get(30, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("has not applied index 5"),
        e.getCause().getMessage());
  }

  @Test
  void aPrunedInstalledSnapshotIsReplacedByTheNewestStoredOne() {
    MemorySnapshotStorage store = new MemorySnapshotStorage(2);
    SnapshotInfo installed = saveTotal(store, 10);
    saveTotal(store, 20);
    saveTotal(store, 30); // the store keeps 20 and 30: 10 is gone
    start(store);

    mailbox.offer(new RestoreSnapshot(installed));
    mailbox.offer(new ApplyBatch(commands(11, 35), null, 0, System.nanoTime()));
    await(() -> loop.appliedIndex() == 35 || lifecycle.isStopping());

    assertFalse(lifecycle.isStopping(), "the node runs on: " + lifecycle.closedException());
    assertEquals(List.of(sum(30)), machine.restoredTotals(), "loaded the newest, 30");
    assertEquals(sum(35), TotalMachine.decode(machine.query(new byte[0])),
        "entries 11..30 skipped, 31..35 applied once");
  }

  @Test
  void anInstalledSnapshotAlreadyCoveredByANewerLoadIsSkipped() {
    MemorySnapshotStorage store = new MemorySnapshotStorage(2);
    SnapshotInfo first = saveTotal(store, 10);
    SnapshotInfo second = saveTotal(store, 20);
    saveTotal(store, 30);
    start(store);

    mailbox.offer(new RestoreSnapshot(first));
    mailbox.offer(new ApplyBatch(commands(11, 15), null, 0, System.nanoTime()));
    mailbox.offer(new RestoreSnapshot(second));
    mailbox.offer(new ApplyBatch(commands(21, 40), null, 0, System.nanoTime()));
    await(() -> loop.appliedIndex() == 40 || lifecycle.isStopping());

    assertFalse(lifecycle.isStopping(), "the node runs on: " + lifecycle.closedException());
    assertEquals(List.of(sum(30)), machine.restoredTotals());
    assertEquals(sum(40), TotalMachine.decode(machine.query(new byte[0])));
  }

  @Test
  void anUnloadableSnapshotNeitherStopsTheNodeNorLetsEntriesApplyOnTheOldState()
      throws InterruptedException {
    MemorySnapshotStorage inner = new MemorySnapshotStorage(2);
    SnapshotInfo installed = saveTotal(inner, 10);
    int[] opens = {0};
    SnapshotStorage unreadable = new ForwardingSnapshotStorage(inner) {
      @Override
      public InputStream openState(SnapshotInfo snapshot) {
        synchronized (opens) {
          opens[0]++;
        }
        throw new StorageException("the disk fails to read " + snapshot.index());
      }
    };
    start(unreadable);

    mailbox.offer(new RestoreSnapshot(installed));
    mailbox.offer(new ApplyBatch(commands(11, 15), null, 0, System.nanoTime()));
    await(() -> {
      synchronized (opens) {
        return opens[0] >= 3 || lifecycle.isStopping();
      }
    });

    assertFalse(lifecycle.isStopping(), "the node runs on: " + lifecycle.closedException());
    assertEquals(0, loop.appliedIndex(), "nothing applied on top of the old state");
    assertTrue(machine.restoredTotals().isEmpty());
  }

  private static final AppliedMembership MEMBERSHIP =
      new AppliedMembership(Membership.ofVoters(List.of(SELF)));

  private void start(SnapshotStorage store) {
    mailbox = new Mailbox(new SpscUnboundedArrayQueue<>(64), lifecycle::isStopping);
    SnapshotTaker taker = new SnapshotTaker(SELF, machine, store, MEMBERSHIP, Long.MAX_VALUE,
        Long.MAX_VALUE, 0, saved -> { });
    loop = new ApplyLoop(SELF, new SessionStateMachine(machine), mailbox, lifecycle, store, taker,
        MEMBERSHIP, new SavedSnapshotSlot(), new SnapshotRequests(), new LogPosition(0, 0),
        maxReadWait, RaftMetrics.NONE);
    thread = new Thread(loop, "apply-restore-test");
    mailbox.bind(thread);
    lifecycle.wakeOnStop(List.of(mailbox));
    thread.start();
  }

  /** Stores a snapshot of the total after the commands 1..index. */
  private static SnapshotInfo saveTotal(SnapshotStorage store, long index) {
    long total = sum(index);
    return store.save(index, 1, Membership.ofVoters(List.of(SELF)), out -> new DataOutputStream(out).writeLong(total));
  }

  /** Committed entries from..to (inclusive), the command at index i adding i. */
  private static List<LogEntry> commands(long from, long to) {
    List<LogEntry> entries = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      entries.add(new LogEntry(i, 1, EntryKind.COMMAND, TotalMachine.encode(i)));
    }
    return entries;
  }

  private static long sum(long upTo) {
    return upTo * (upTo + 1) / 2;
  }

  private static void await(BooleanSupplier condition) {
    long end = System.nanoTime() + WAIT_NANOS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        fail("not reached within 30 s");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }
}
