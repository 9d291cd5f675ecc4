package io.raftdb.core.runtime;

import io.raftdb.LogPosition;
import io.raftdb.NodeClosedException;
import io.raftdb.NodeId;
import io.raftdb.RaftException;
import io.raftdb.RaftMetrics;
import io.raftdb.StateMachine;
import io.raftdb.core.session.SessionStateMachine;
import io.raftdb.message.EntryKind;
import io.raftdb.message.MembershipCodec;
import io.raftdb.message.LogEntry;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotStorage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a node's apply thread: the only thread that touches the {@link StateMachine} (with
 * {@link io.raftdb.RaftConfig#applyOnEventLoop()}, a stage of the event loop instead, which is
 * then that thread: see {@link #drainOnEventLoop}). It takes committed entries and reads from the
 * event loop (through an SPSC queue), applies the commands in log order, completes the
 * proposers' futures with the state machine's results, and runs each query once the state
 * machine has applied up to its read index. It also loads installed snapshots in their place in
 * the stream (see {@link SnapshotRestorer}), and takes snapshots (see {@link SnapshotTaker}): by
 * policy after a batch, and when the application asks ({@link SnapshotRequests}), right after the
 * command whose {@code apply} asked or, for a request from elsewhere, between two items of work.
 * Entries at or below the applied index are skipped: they are already in the state when a newer
 * snapshot than the one installed had to be loaded.
 *
 * <p>A state machine that throws while applying stops the node: the same command would apply
 * cleanly on other replicas, or throw only here, and a replica that skipped it would silently
 * diverge. A query that throws fails only its own future, since a query changes nothing.
 */
final class ApplyLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ApplyLoop.class);
  /** A safety net only: offers and stops wake the thread. */
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** How long to keep failing what the event loop still hands over after a stop. */
  private static final long LOOP_FINISH_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final NodeId self;
  private final SessionStateMachine stateMachine;
  private final Mailbox mailbox;
  private final NodeLifecycle lifecycle;
  private final SnapshotRestorer restorer;
  private final SnapshotTaker snapshotTaker;
  private final AppliedMembership membership;
  private final SavedSnapshotSlot savedSnapshots;
  private final SnapshotRequests snapshotRequests;
  /** Whether a snapshot was asked for from inside {@code apply}: applying pauses there. */
  private final BooleanSupplier snapshotAskedInsideApply;
  private final PriorityQueue<ReadRequest> waitingReads =
      new PriorityQueue<>(Comparator.comparingLong(r -> r.readIndex));
  /** The same reads (and some already served) in arrival order, to find the overdue ones. */
  private final ArrayDeque<ReadRequest> readsByArrival = new ArrayDeque<>();
  private final long maxReadWaitNanos;
  private volatile long appliedIndex;
  /** The term of the entry at {@link #appliedIndex}; apply thread only. */
  private long appliedTerm;
  private final RaftMetrics metrics;
  /** The {@link ApplyBatch#bytes()} of every batch taken off the queue, applied or failed. */
  private volatile long appliedBytes;

  /**
   * @param snapshots where installed snapshots are loaded from, or {@code null}
   * @param snapshotTaker the snapshot policy
   * @param membership the membership as of the applied index, which this loop keeps current
   * @param savedSnapshots where the snapshot taker leaves each saved snapshot for the event loop
   * @param snapshotRequests the application's requests for snapshots
   * @param start the position the state machine starts at (its restored snapshot's, or 0@0)
   * @param maxReadWait how long a read may wait for this node to apply up to its read index;
   *     a follower that is behind or cut off fails it then, so that its client tries elsewhere
   */
  ApplyLoop(NodeId self, SessionStateMachine stateMachine, Mailbox mailbox, NodeLifecycle lifecycle,
      SnapshotStorage snapshots, SnapshotTaker snapshotTaker, AppliedMembership membership,
      SavedSnapshotSlot savedSnapshots, SnapshotRequests snapshotRequests, LogPosition start,
      Duration maxReadWait,
      RaftMetrics metrics) {
    this.maxReadWaitNanos = maxReadWait.toNanos();
    this.metrics = metrics;
    this.self = self;
    this.stateMachine = stateMachine;
    this.mailbox = mailbox;
    this.lifecycle = lifecycle;
    this.restorer = new SnapshotRestorer(self, stateMachine, snapshots, lifecycle);
    this.snapshotTaker = snapshotTaker;
    this.membership = membership;
    this.savedSnapshots = savedSnapshots;
    this.snapshotRequests = snapshotRequests;
    this.snapshotAskedInsideApply = snapshotRequests::askedWhileApplying;
    this.appliedIndex = start.index();
    this.appliedTerm = start.term();
  }

  /** What the batches applied so far weighed (see {@link ApplyBatch#bytes()}). Any thread. */
  long appliedBytes() {
    return appliedBytes;
  }

  /** The index of the last entry applied (no-op entries count). Readable from any thread. */
  long appliedIndex() {
    return appliedIndex;
  }

  /**
   * The newest snapshot this node saved that the event loop has not yet taken, or {@code null}.
   * For the event loop.
   */
  SnapshotInfo takeSavedSnapshot() {
    return savedSnapshots.take();
  }

  /** The apply thread's body (see {@link #drainOnEventLoop} for the other way to run it). */
  @Override
  public void run() {
    try {
      while (!lifecycle.isStopping()) {
        Object item = mailbox.poll();
        if (item == null) {
          mailbox.sleepUntil(System.nanoTime() + IDLE_PARK_NANOS);
        } else {
          handle(item);
        }
        betweenItems();
      }
    } catch (Throwable t) {
      LOG.error("node {} stops: its apply thread failed", self, t);
      lifecycle.stop(t);
    } finally {
      finish();
      lifecycle.threadEnded();
    }
  }

  /**
   * With {@link io.raftdb.RaftConfig#applyOnEventLoop()}, the event loop's share of this loop,
   * called once per iteration of the event loop, which is then the only thread that touches the
   * state machine: everything handed over so far, then a snapshot asked for from elsewhere and
   * reads that waited too long.
   */
  void drainOnEventLoop() {
    Object item;
    while (!lifecycle.isStopping() && (item = mailbox.poll()) != null) {
      handle(item);
    }
    betweenItems();
  }

  private void handle(Object item) {
    if (item instanceof ApplyBatch batch) {
      apply(batch);
      appliedBytes += batch.bytes(); // (this thread is the only writer)
      metrics.applied(batch.entries().size(), System.nanoTime() - batch.handedOverAtNanos());
    } else if (item instanceof RestoreSnapshot r) {
      restore(r);
    } else {
      serve((ReadRequest) item);
    }
  }

  private void betweenItems() {
    takeRequestedSnapshot();
    failOverdueReads();
  }

  private void apply(ApplyBatch batch) {
    batch = skipApplied(batch);
    if (batch == null) {
      return;
    }
    List<LogEntry> entries = batch.entries();
    long commandBytes = 0;
    for (LogEntry e : entries) {
      commandBytes += e.payload().length;
    }
    List<byte[]> results;
    try {
      results = applyAndSnapshot(entries, batch.waiters() != null);
    } catch (RuntimeException | Error e) {
      LOG.error("node {} stops: its state machine failed applying entries {}..{};"
          + " a state machine must not throw, or replicas diverge", self,
          entries.get(0).index(), entries.get(entries.size() - 1).index(), e);
      lifecycle.stop(e);
      batch.failAll(lifecycle.closedException());
      return;
    }
    LogEntry last = entries.get(entries.size() - 1);
    appliedIndex = last.index();
    appliedTerm = last.term();
    completeWaiters(batch, results);
    serveWaitingReads();
    snapshotTaker.afterApply(last.index(), last.term(), commandBytes);
  }

  /**
   * Applies {@code entries} and takes the snapshots that the state machine asked for while
   * applying them, each right after the command that asked, as the labs' {@code Snapshot(k)}
   * called from the apply loop expects: the state then is exactly that of the snapshot's index. A
   * state machine with its own {@code applyBatch} cannot be stopped inside its batch, so its
   * requests are served after the whole batch, at its last index. Session entries' outcomes are
   * made only if {@code outcomesWanted} (someone waits for an entry of the batch).
   */
  private List<byte[]> applyAndSnapshot(List<LogEntry> entries, boolean outcomesWanted) {
    List<byte[]> results = new ArrayList<>(entries.size());
    int from = 0;
    while (from < entries.size()) {
      List<LogEntry> rest = from == 0 ? entries : entries.subList(from, entries.size());
      int applied;
      snapshotRequests.applying(true);
      try {
        applied = stateMachine.applyEntries(rest, results, outcomesWanted,
            snapshotAskedInsideApply);
      } finally {
        snapshotRequests.applying(false);
      }
      List<LogEntry> done = applied == rest.size() ? rest : rest.subList(0, applied);
      // (membership entries are noted before any capture after them: a snapshot holds the
      // membership of its index)
      applyMemberships(done);
      snapshotAskedWhileApplying(done.get(applied - 1));
      from += applied;
    }
    return results;
  }

  private void snapshotAskedWhileApplying(LogEntry applied) {
    List<NodeFuture<SnapshotInfo>> asked = snapshotRequests.takeAskedWhileApplying();
    if (!asked.isEmpty()) {
      snapshotTaker.takeFor(applied.index(), applied.term(), asked);
    }
  }

  /** Takes the snapshot asked for from outside {@code apply}, at the applied index. */
  private void takeRequestedSnapshot() {
    if (snapshotRequests.hasWaiting()) {
      snapshotTaker.takeFor(appliedIndex, appliedTerm, snapshotRequests.takeWaiting());
    }
  }

  /**
   * The part of {@code batch} after the applied index, or {@code null} if nothing is left. The
   * commands of the skipped entries are in the state, but their results are not known here.
   */
  private ApplyBatch skipApplied(ApplyBatch batch) {
    List<LogEntry> entries = batch.entries();
    int skip = 0;
    while (skip < entries.size() && entries.get(skip).index() <= appliedIndex) {
      skip++;
    }
    if (skip == 0) {
      return batch;
    }
    PendingCommand[] waiters = batch.waiters();
    if (waiters != null) {
      for (int i = 0; i < skip; i++) {
        if (waiters[i] != null) {
          waiters[i].outcomeUnknown();
        }
      }
    }
    if (skip == entries.size()) {
      return null;
    }
    // (the whole batch's bytes are released once it is done, by the caller)
    return new ApplyBatch(entries.subList(skip, entries.size()),
        waiters == null ? null : Arrays.copyOfRange(waiters, skip, waiters.length), batch.bytes(),
        batch.handedOverAtNanos());
  }

  /**
   * Replaces the state with an installed snapshot, or a newer stored one (see
   * {@link SnapshotRestorer}). A snapshot the state already covers, because a newer one was
   * loaded in its place before, is skipped.
   */
  private void restore(RestoreSnapshot r) {
    if (r.snapshot().index() <= appliedIndex) {
      LOG.debug("node {}: skipping installed snapshot {}: already applied up to {}", self,
          r.snapshot().index(), appliedIndex);
      return;
    }
    SnapshotInfo loaded = restorer.restore(r.snapshot());
    if (loaded == null) {
      return; // only when the node is stopping
    }
    membership.applied(loaded.membership());
    appliedIndex = loaded.index();
    appliedTerm = loaded.term();
    snapshotTaker.restored(appliedIndex);
    serveWaitingReads();
  }

  /** Notes the membership entries of a batch; the state machine never sees them. */
  private void applyMemberships(List<LogEntry> entries) {
    for (int i = 0, n = entries.size(); i < n; i++) {
      LogEntry e = entries.get(i);
      if (e.kind() == EntryKind.MEMBERSHIP) {
        // (the protocol decoded it when it was appended, so it cannot be malformed here)
        membership.applied(MembershipCodec.decode(e.payload()));
      }
    }
  }

  private static void completeWaiters(ApplyBatch batch, List<byte[]> results) {
    PendingCommand[] waiters = batch.waiters();
    if (waiters == null) {
      return;
    }
    List<LogEntry> entries = batch.entries();
    int r = 0;
    for (int i = 0; i < waiters.length; i++) {
      EntryKind kind = entries.get(i).kind();
      if (kind == EntryKind.MEMBERSHIP) {
        if (waiters[i] != null) {
          waiters[i].applied(entries.get(i).payload());
        }
      } else if (kind != EntryKind.NO_OP) {
        byte[] result = results.get(r++);
        if (waiters[i] != null) {
          waiters[i].applied(result);
        }
      }
    }
  }

  private void serve(ReadRequest read) {
    if (read.readIndex <= appliedIndex) {
      runQuery(read);
    } else {
      waitingReads.add(read);
      readsByArrival.add(read);
    }
  }

  /** Fails the reads that waited too long for this node to apply their index. */
  private void failOverdueReads() {
    long now = System.nanoTime();
    ReadRequest read;
    while ((read = readsByArrival.peek()) != null) {
      if (read.future.isDone()) {
        readsByArrival.poll(); // served meanwhile
      } else if (now - read.arrivedAtNanos >= maxReadWaitNanos) {
        readsByArrival.poll();
        waitingReads.remove(read);
        read.fail(new RaftException("node " + self + " has not applied index " + read.readIndex
            + " within " + TimeUnit.NANOSECONDS.toMillis(maxReadWaitNanos)
            + " ms: it is behind or cut off; retry on another node"));
      } else {
        return;
      }
    }
  }

  private void serveWaitingReads() {
    ReadRequest read;
    while ((read = waitingReads.peek()) != null && read.readIndex <= appliedIndex) {
      waitingReads.poll();
      runQuery(read);
    }
  }

  private void runQuery(ReadRequest read) {
    byte[] answer;
    try {
      answer = stateMachine.query(read.query);
    } catch (RuntimeException e) {
      read.future.settleExceptionally(e);
      return;
    }
    read.future.settle(answer);
  }

  /**
   * Fails everything still waiting here. The event loop may hand over more until it has ended,
   * so this keeps failing what arrives until then (bounded, in case the loop hangs in storage).
   */
  private void finish() {
    NodeClosedException closed = failWaiting();
    long giveUp = System.nanoTime() + LOOP_FINISH_WAIT_NANOS;
    while (!lifecycle.isLoopFinished() && System.nanoTime() - giveUp < 0) {
      failQueued(closed);
      LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(10)); // the loop wakes us at its end
    }
    failQueued(closed);
    snapshotRequests.failAll(closed); // asked for while this thread finished
    if (!lifecycle.isLoopFinished()) {
      LOG.warn("node {}: apply thread ends before the event loop, which did not stop", self);
    }
  }

  /** With {@link #drainOnEventLoop}: fails everything left, once the event loop has ended. */
  void finishOnEventLoop() {
    failQueued(failWaiting());
  }

  private NodeClosedException failWaiting() {
    NodeClosedException closed = lifecycle.closedException();
    membership.close(closed);
    snapshotRequests.failAll(closed);
    snapshotTaker.close();
    for (ReadRequest r : waitingReads) {
      r.fail(closed);
    }
    waitingReads.clear();
    readsByArrival.clear();
    return closed;
  }

  private void failQueued(NodeClosedException closed) {
    Object item;
    while ((item = mailbox.pollStrictly()) != null) {
      if (item instanceof ApplyBatch batch) {
        batch.failAll(closed);
      } else if (item instanceof ReadRequest r) {
        r.fail(closed);
      }
    }
  }
}
