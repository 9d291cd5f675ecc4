package io.raftdb.sim.dst;

import io.raftdb.LogPosition;
import io.raftdb.Membership;
import io.raftdb.MembershipChangeException;
import io.raftdb.NodeId;
import io.raftdb.NotLeaderException;
import io.raftdb.RaftConfig;
import io.raftdb.ReadConsistency;
import io.raftdb.Role;
import io.raftdb.core.protocol.Outbound;
import io.raftdb.core.protocol.RaftProtocol;
import io.raftdb.core.protocol.ReadState;
import io.raftdb.core.protocol.Ready;
import io.raftdb.core.runtime.ReadyDriver;
import io.raftdb.core.runtime.SnapshotInstaller;
import io.raftdb.core.runtime.SnapshotShipper;
import io.raftdb.message.AppendEntriesResponse;
import io.raftdb.message.InstallSnapshotResponse;
import io.raftdb.message.EntryKind;
import io.raftdb.message.LogEntry;
import io.raftdb.message.MembershipCodec;
import io.raftdb.message.RaftMessage;
import io.raftdb.storage.HardState;
import io.raftdb.storage.LogStorage;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One simulated node: a {@link RaftProtocol} driven the way the real runtime drives it, on
 * virtual time and in the simulator's single thread.
 *
 * <p>After every input it hands the protocol's {@link Ready}s to the runtime's own
 * {@link ReadyDriver}, as the runtime's {@code EventLoop} does on a log that syncs concurrently
 * (pipelined persistence); only the driver's host is the simulator's. A ready that only appends
 * is written (visible, not yet durable) and the loop goes on at once: its
 * {@code messagesAfterPersist()} wait until a background sync covers them. That sync (the
 * runtime's sync thread) takes virtual time while the node keeps stepping inputs, and when it
 * returns while more was written, the next starts at once. A ready that changes the term or
 * vote, truncates or resets the log first waits for a background sync in flight, then saves the
 * term and vote, writes, syncs on the loop (the node is held up) and only then sends. A crash at
 * any moment loses whatever the disk had not made durable, and the node restarts later from what
 * it had.
 *
 * <p>While its loop is held up, by a sync or by a stall (a GC pause), the node behaves as the
 * runtime's event loop does: inputs queue up, ticks that fall due are only counted, and when the
 * loop runs again it takes the queued inputs first, then fires at most
 * {@link HeldInputs#MAX_CATCH_UP_TICKS} of the missed ticks. The protocol's clock is the node's
 * own {@link NodeClock}, which keeps running through a stall at the node's skewed rate.
 *
 * <p>Snapshots follow the runtime too (when the run's {@link SnapshotPlan} is on): a
 * {@link SimSnapshotTaker} snapshots the state machine every few applied entries and, once the
 * snapshot is durable, the node compacts its log through it; a leader streams snapshots to
 * followers that need them (the runtime's {@link SnapshotShipper}, on virtual ticks); a follower
 * stores the chunks after {@code advance} (the runtime's {@link SnapshotInstaller}), resets its
 * log and restores its state machine
 * as the protocol's next ready says, and says "done" only once that reset is durable. A restart
 * loads the newest durable snapshot, then the log ({@link SimSnapshotStartup}).
 */
final class SimNode {
  /** Virtual microseconds between two ticks of a clock running at rate 1. */
  static final long TICK_MICROS = 10_000;
  /** The shortest and longest ordinary sync, in microseconds. */
  static final long MIN_SYNC = 20;
  static final long MAX_SYNC = 300;

  private final int index;
  private final NodeId id;
  /** The membership it starts with when its disk holds no snapshot (NONE: a joiner). */
  private final Membership initial;
  /** The membership as of the applied index, which snapshots hold. */
  private Membership appliedMembership;
  /** What the written log says the membership is, for the checkers. */
  private final WrittenMemberships writtenMemberships = new WrittenMemberships();
  /** The newest snapshot received from a leader, whose membership a log reset takes. */
  private SnapshotInfo lastReceived;
  private final RaftConfig config;
  private final NodeHost host;
  private final SimDisk disk;
  private final SnapshotPlan snapshotPlan;
  private final BrokenVariant variant;

  private RaftProtocol protocol;
  private boolean up;
  private long life;
  private boolean syncing;
  private boolean stalled;
  /** Counts stalls, so that the end of an earlier one (cut short by a crash) is ignored. */
  private long stalls;
  /** A sync that completed while the node was stalled: handled when the stall ends. */
  private Runnable syncedDuringStall;
  /** This life's Ready driver: the runtime's own, over this node's disk and virtual time. */
  private ReadyDriver driver;
  /** A ready's in-line persistence, waiting for the background sync in flight. */
  private Runnable waitingForSync;
  /** Whether a message sent since the last {@link #maybeCrashAfterAck} acknowledged the leader. */
  private boolean acknowledgedSinceCheck;
  private final HeldInputs held = new HeldInputs();
  /** Why the node crashed while handling an input, for the trace; null if it did not. */
  private String crashedBecause;
  private final NodeClock clock;
  private RunningHash stateMachine = new RunningHash();
  private final ArrayList<ReadState> confirmedReads = new ArrayList<>();
  private double clockRate = 1.0;
  /** Ticks this life has seen: the shipper's clock. */
  private long ticks;
  private SimSnapshotTaker taker;
  private SnapshotShipper shipper;
  private SnapshotInstaller installer;
  /** The shipper's counts already added to the run's counters. */
  private long shippedTransfers;
  private long shippedChunks;
  private long shipmentsAbandoned;

  SimNode(int index, NodeId id, Membership initial, RaftConfig config, NodeHost host,
      SimDisk disk, SnapshotPlan snapshotPlan, BrokenVariant variant) {
    this.index = index;
    this.id = id;
    this.initial = initial;
    this.config = config;
    this.host = host;
    this.disk = disk;
    this.snapshotPlan = snapshotPlan;
    this.variant = variant;
    this.clock = new NodeClock(host.events());
  }

  // ------------------------------------------------------------------ life and death

  /** Starts (or restarts) the node from what its disk holds durably. */
  void start() {
    life++;
    up = true;
    syncing = false;
    acknowledgedSinceCheck = false;
    waitingForSync = null;
    endStall();
    held.clear();
    crashedBecause = null;
    confirmedReads.clear();
    ticks = 0;
    LogStorage log = disk.log();
    Invariants inv = host.invariants();
    inv.restarting(index, log.firstIndex(), disk.newestSnapshotIndex());
    SimSnapshotStartup.Restored restored = SimSnapshotStartup.restore(name(), log,
        disk.snapshots());
    stateMachine = restored.state();
    LogPosition snapshot = restored.snapshot();
    if (snapshot.index() > 0) {
      host.snapshotCounters().restarts++;
    }
    inv.restarted(index, snapshot.index(), snapshot.term(), stateMachine.value(), log);
    appliedMembership = restored.membership() != null ? restored.membership() : initial;
    writtenMemberships.rebuild(appliedMembership, snapshot.index(), log);
    lastReceived = null;
    protocol = guarded(() -> new RaftProtocol(0, id, appliedMembership, config, log,
        disk.meta().load(), snapshot, host.random().split(), protocolClock()));
    if (variant == BrokenVariant.EAGER_VOTES_AFTER_RESTART) {
      protocol.skipStartQuietPeriod();
    }
    taker = new SimSnapshotTaker(this, host, snapshotPlan, variant, disk.snapshots(),
        snapshot.index());
    shipper = new SnapshotShipper(protocol, disk.snapshots(), o -> host.send(index, o), 0,
        snapshotPlan.chunkBytes(), config.electionTicks());
    shippedTransfers = 0;
    shippedChunks = 0;
    shipmentsAbandoned = 0;
    installer = new SnapshotInstaller(protocol, disk.snapshots(), 0, this::received);
    driver = new ReadyDriver(protocol, disk.log(), disk.meta(), true, shipper, installer,
        new DriverHost());
    if (variant == BrokenVariant.ACK_BEFORE_SYNC) {
      driver.acknowledgeBeforeSync();
    }
    // A random phase, so that the nodes' ticks do not line up.
    scheduleTick(host.random().nextLong(tickPeriod()) + 1);
  }

  /**
   * The clock the protocol times its lease with: the node's monotonic clock, or, in the broken
   * variant, its tick count, which falls behind real time whenever the loop is held up.
   */
  private LongSupplier protocolClock() {
    if (variant == BrokenVariant.TICK_LEASE) {
      long tickNanos = config.tickInterval().toNanos();
      return () -> ticks * tickNanos;
    }
    return clock::nanos;
  }

  /** Kills the node: everything not durable is lost, inputs queued for it are dropped. */
  void crash() {
    up = false;
    syncing = false;
    waitingForSync = null;
    endStall();
    held.clear();
    confirmedReads.clear();
    disk.crash();
  }

  /**
   * Sets how slow this node's clock runs (1 = true time, 1.1 = a local second lasts 1.1 real
   * ones); its monotonic clock follows at once, its ticks from the next one.
   */
  void clockRate(double rate) {
    this.clockRate = rate;
    clock.rate(rate);
  }

  /**
   * Stalls the node's loop for {@code micros} of virtual time, as a GC pause would: it handles
   * nothing, its ticks fall behind, its clock runs on. Returns a note for the trace.
   */
  String stall(long micros) {
    if (!up) {
      return name() + " is down";
    }
    if (stalled) {
      return name() + " is already stalled";
    }
    stalled = true;
    long myStall = ++stalls;
    host.events().after(micros, name() + " stall ends", () -> stalled && stalls == myStall
        ? resumeFromStall() : "already over");
    return name() + (protocol.role() == Role.LEADER ? " (leader)" : "") + " stalls for "
        + TraceFormat.time(micros);
  }

  /** Ends a stall now: the node catches up on what it missed. */
  String resumeFromStall() {
    if (!stalled) {
      return "";
    }
    Runnable synced = syncedDuringStall;
    endStall();
    String note = "";
    if (synced != null) {
      synced.run();
      note = "its sync had finished";
    }
    if (!up || heldUp()) {
      return takeCrashNote(joinNotes(note, up ? "still syncing" : ""));
    }
    return takeCrashNote(joinNotes(note, catchUp()));
  }

  private void endStall() {
    stalled = false;
    syncedDuringStall = null;
  }

  /** Whether the loop is held up: inputs queue and ticks are only counted. */
  private boolean heldUp() {
    return syncing || stalled;
  }

  // ------------------------------------------------------------------ inputs

  /** A message arrives from the network. */
  String receive(RaftMessage m) {
    return input(() -> guarded(() -> {
      if (!protocol.step(m)) {
        if (variant != BrokenVariant.MUTATING_NETWORK) {
          // Every sender here is an honest node: a message it sent cannot be invalid.
          throw new InvariantViolation(InvariantFamily.PROTOCOL_ERROR, name()
              + " dropped a message from an honest peer as invalid: "
              + protocol.lastInvalidMessage(), name());
        }
        return null;
      }
      if (m instanceof InstallSnapshotResponse r) {
        shipper.onResponse(r, ticks);
        countShipping();
      }
      return null;
    }));
  }

  /**
   * One of this node's snapshots is durable (the runtime's {@code SnapshotSaved} input): the
   * protocol may ship it, and the log before it may go.
   */
  String snapshotSaved(SnapshotInfo s) {
    return input(() -> {
      guarded(() -> {
        protocol.snapshotSaved(s.index(), s.term());
        return null;
      });
      compact(s.index());
    });
  }

  /** Drops the log through {@code upToIndex}, which a durable snapshot must cover. */
  void compact(long upToIndex) {
    host.invariants().compacting(index, upToIndex, disk.newestSnapshotIndex());
    disk.log().compactPrefix(upToIndex);
    host.snapshotCounters().compactions++;
  }

  /** A client proposes {@code command}; {@code appended} hears where it went if accepted. */
  String propose(byte[] command, Consumer<LogPosition> appended) {
    return input(() -> {
      try {
        LogPosition at = guarded(() -> protocol.propose(command));
        appended.accept(at);
      } catch (NotLeaderException e) {
        // The client asked the wrong node; a real client would retry elsewhere.
      }
    });
  }

  /** A client asks for a read; {@code refused} hears if this node cannot take it. */
  String read(long requestId, ReadConsistency consistency, Runnable refused) {
    return input(() -> {
      try {
        guarded(() -> {
          protocol.readIndex(requestId, consistency);
          return null;
        });
      } catch (NotLeaderException e) {
        refused.run();
      }
    });
  }

  /** An operator asks this node to hand leadership to {@code target}. */
  String transferLeadership(NodeId target) {
    return input(() -> {
      if (!protocol.membership().isVoter(target)) {
        return; // (refused: only a voter can take over)
      }
      try {
        guarded(() -> {
          protocol.transferLeadership(target);
          return null;
        });
      } catch (NotLeaderException e) {
        // Not the leader (any more): nothing to hand over.
      }
    });
  }

  /**
   * An operator asks this node to change the membership; {@code change} computes the next one
   * from the one in effect, or throws {@link IllegalArgumentException} for a change that makes
   * no sense there. Refusals (not leader, another change under way) are the operator's to retry.
   */
  String changeMembership(UnaryOperator<Membership> change) {
    return input(() -> {
      Membership next;
      try {
        next = change.apply(protocol.membership());
      } catch (IllegalArgumentException | IllegalStateException nonsense) {
        return;
      }
      try {
        guarded(() -> {
          try {
            return protocol.proposeMembership(next);
          } catch (MembershipChangeException refused) {
            return null; // another change under way, a new leader, or too large a step
          }
        });
      } catch (NotLeaderException notLeader) {
        // not the leader (any more)
      }
    });
  }

  /** The membership in effect on this node (the newest in its log). */
  Membership membership() {
    return protocol.membership();
  }

  /**
   * Why this node's membership is not the one its written log holds, or {@code null}. Looked at
   * only when it has written everything it appended (not while a write waits for a sync).
   */
  String membershipProblem() {
    Membership expected = writtenMemberships.expected();
    if (!up || syncing || waitingForSync != null || expected == null
        || protocol.lastLogIndex() != disk.log().lastIndex()) {
      return null;
    }
    Membership actual = protocol.membership();
    return actual.equals(expected) ? null
        : name() + " uses membership " + actual + " but its written log holds " + expected;
  }

  /** The membership as of its applied index, which its snapshots hold. */
  Membership appliedMembership() {
    return appliedMembership;
  }

  private void scheduleTick(long delay) {
    long myLife = life;
    host.events().after(delay, name() + " tick", () -> {
      if (!up || life != myLife) {
        return "stale";
      }
      scheduleTick(tickPeriod());
      if (heldUp()) {
        held.tickMissed();
        return "missed: " + (stalled ? "stalled" : "syncing");
      }
      return input(() -> fireTicks(1));
    });
  }

  /** Ticks the protocol {@code count} times in a row, as the runtime does after a pause. */
  private void fireTicks(int count) {
    guarded(() -> {
      for (int i = 0; i < count; i++) {
        protocol.tick();
        shipper.checkProgress(++ticks);
      }
      countShipping();
      return null;
    });
  }

  private long tickPeriod() {
    return Math.max(1, Math.round(TICK_MICROS * clockRate));
  }

  /** Runs an input now, or queues it while the node's loop is held up. */
  private String input(Runnable action) {
    if (!up) {
      return "dropped: node down";
    }
    if (heldUp()) {
      held.queue(action);
      return "queued behind " + (stalled ? "stall" : "sync") + " (" + held.size() + " waiting)";
    }
    action.run();
    drive();
    host.invariants().afterInput(this);
    return takeCrashNote("");
  }

  /** {@code note}, or why the node just crashed on its own if it did. */
  private String takeCrashNote(String note) {
    String why = crashedBecause;
    crashedBecause = null;
    return why == null || why.isEmpty() ? note : joinNotes(note, why);
  }

  // ------------------------------------------------------------------ the Ready loop

  private void drive() {
    while (up && !heldUp()) {
      if (!guarded(protocol::hasReady)) {
        guarded(() -> {
          driver.idle();
          return null;
        });
        startSyncIfDue();
        return;
      }
      Ready rd = guarded(protocol::ready);
      host.invariants().committed(index, rd.committedEntries(), protocol.term());
      guarded(() -> {
        driver.handle(rd, ticks);
        return null;
      });
      countShipping();
      maybeCrashAfterAck();
    }
  }

  /**
   * Once the loop has nothing more to do: the sync thread syncs what was written, unless a sync
   * is in flight (then the next one starts when it returns).
   */
  private void startSyncIfDue() {
    if (driver.syncDue() && !driver.syncInFlight()) {
      startBackgroundSync(driver.startSync());
    }
  }

  private void startBackgroundSync(long covered) {
    long myLife = life;
    host.events().after(syncTime(), name() + " background sync done",
        () -> syncDone(myLife, () -> backgroundSyncDone(covered)));
  }

  /**
   * The sync thread's sync returned: the loop releases what it covered (it is not held up by the
   * sync, but may be waiting for it to persist a ready in line), and the thread starts the next
   * sync at once if more was written meanwhile.
   */
  private void backgroundSyncDone(long covered) {
    disk.log().sync();
    guarded(() -> {
      driver.synced(covered);
      return null;
    });
    maybeCrashAfterAck();
    if (!up) {
      return;
    }
    Runnable waiting = waitingForSync;
    if (waiting != null) {
      waitingForSync = null;
      syncing = false;
      continueReady(waiting);
      return;
    }
    if (driver.syncDue()) {
      startBackgroundSync(driver.startSync());
    }
    drive();
    host.invariants().afterInput(this);
  }

  /** Runs the rest of a ready that waited, then catches up unless held up again. */
  private void continueReady(Runnable rest) {
    guarded(() -> {
      rest.run();
      return null;
    });
    countShipping();
    maybeCrashAfterAck();
    if (up && !heldUp()) {
      crashedBecause = joinNotes(crashedBecause, catchUp());
    }
  }

  /** Two notes for the trace as one; either may be empty or null. */
  private static String joinNotes(String a, String b) {
    if (a == null || a.isEmpty()) {
      return b == null ? "" : b;
    }
    return b == null || b.isEmpty() ? a : a + "; " + b;
  }

  /** How long a sync takes: ordinary, or now and then a slow disk's. */
  private long syncTime() {
    FaultPlan plan = host.plan();
    long syncTime = MIN_SYNC + host.random().nextLong(MAX_SYNC - MIN_SYNC + 1);
    if (plan.maxSlowDisk() > 0 && host.random().nextDouble() < plan.slowDiskRate()) {
      syncTime += host.random().nextLong(plan.maxSlowDisk());
    }
    return syncTime;
  }

  private String syncDone(long myLife, Runnable done) {
    if (!up || life != myLife) {
      return "stale: the node crashed before its sync finished";
    }
    if (stalled) {
      // The disk is done but the loop is paused; a crash before it resumes loses the batch,
      // which is no different from a sync that took that much longer.
      syncedDuringStall = done;
      return "the node is stalled; it goes on when the stall ends";
    }
    done.run();
    return takeCrashNote("");
  }

  /**
   * The loop runs again after being held up: it acts on what the protocol has ready, runs the
   * queued inputs, then fires the missed ticks (at most {@link HeldInputs#MAX_CATCH_UP_TICKS}),
   * unless something holds it up again first.
   */
  private String catchUp() {
    int waiting = held.size();
    long missed = held.missedTicks();
    drive();
    Runnable next;
    while (up && !heldUp() && (next = held.poll()) != null) {
      next.run();
      drive();
      host.invariants().afterInput(this);
    }
    String note = waiting == 0 ? "" : "then ran " + (waiting - held.size()) + " queued inputs";
    if (up && !heldUp() && missed > 0) {
      int fired = held.takeCatchUpTicks();
      fireTicks(fired);
      drive();
      host.invariants().afterInput(this);
      note += (note.isEmpty() ? "then" : ",") + " fired " + fired + " of " + missed
          + " missed ticks";
    }
    return note;
  }

  /**
   * The simulator's side of the runtime's {@link ReadyDriver}: the virtual network, syncs that
   * take virtual time, the hash state machine applied in line, and the checkers told of every
   * write.
   */
  private final class DriverHost implements ReadyDriver.Host {
    @Override
    public void send(List<Outbound> messages) {
      sendAll(messages);
    }

    @Override
    public void handOver(Ready rd) {
      apply(rd);
    }

    @Override
    public void afterSyncInFlight(Runnable then) {
      waitingForSync = then; // never truncate or reset under a sync in flight
      syncing = true;
    }

    @Override
    public void syncInLine(boolean logWritten, Runnable then) {
      syncing = true;
      long myLife = life;
      host.events().after(syncTime(), name() + " sync done",
          () -> syncDone(myLife, () -> inLineSyncDone(then)));
    }

    @Override
    public void storageFailed(RuntimeException failure) {
      throw new IllegalStateException(name() + "'s simulated disk failed", failure);
    }

    @Override
    public void logReset(LogPosition snapshot) {
      host.invariants().logReset(index, snapshot.index(), snapshot.term());
      boolean known = lastReceived != null && lastReceived.index() == snapshot.index()
          && lastReceived.term() == snapshot.term();
      writtenMemberships.reset(known ? lastReceived.membership() : null);
    }

    @Override
    public void logTruncated(long from) {
      host.invariants().logTruncated(index, from);
      writtenMemberships.truncatedFrom(from);
    }

    @Override
    public void logAppended(List<LogEntry> entries) {
      host.invariants().logAppended(index, entries);
      writtenMemberships.appended(entries);
    }

    @Override
    public void hardStateSaved(HardState state) {
      host.invariants().hardStateSaved(index, state);
    }
  }

  /** The loop's own sync returned (or the node crashes right after it, before sending). */
  private void inLineSyncDone(Runnable then) {
    disk.log().sync();
    if (host.plan().crashAfterSyncRate() > 0
        && host.random().nextDouble() < host.plan().crashAfterSyncRate()) {
      crash();
      host.crashedItself(this);
      crashedBecause = "crashed after the sync, before sending what it promised";
      return;
    }
    syncing = false;
    continueReady(then);
  }

  /** Restores an installed snapshot, applies, serves reads: the runtime's apply thread's part. */
  private void apply(Ready rd) {
    Invariants inv = host.invariants();
    if (rd.snapshotToRestore() != null) {
      long restored = restore(rd.snapshotToRestore());
      inv.restoring(index, restored, rd.snapshotToRestore().term(), stateMachine.value());
      taker.restored(restored);
    }
    for (LogEntry e : rd.committedEntries()) {
      inv.applying(index, e.index());
      if (e.kind() == EntryKind.MEMBERSHIP) {
        appliedMembership = MembershipCodec.decode(e.payload());
      }
      long value = stateMachine.apply(e);
      inv.applied(index, e.index(), value);
    }
    if (!rd.committedEntries().isEmpty()) {
      LogEntry last = rd.committedEntries().get(rd.committedEntries().size() - 1);
      taker.afterApply(last.index(), last.term(), stateMachine);
    }
    confirmedReads.addAll(rd.readStates());
    for (long dropped : rd.droppedReads()) {
      inv.readAbandoned(dropped);
    }
    Iterator<ReadState> it = confirmedReads.iterator();
    while (it.hasNext()) {
      ReadState r = it.next();
      if (r.index() <= stateMachine.appliedIndex()) {
        inv.readServed(index, r.requestId(), stateMachine.appliedIndex());
        it.remove();
      }
    }
  }

  /** Sends {@code messages}, noting whether they acknowledge the leader. */
  private void sendAll(List<Outbound> messages) {
    for (Outbound o : messages) {
      host.send(index, o);
    }
    acknowledgedSinceCheck |= acknowledges(messages);
  }

  /**
   * If the node acknowledged the leader since the last check, may crash it now (at a point where
   * nothing is half done). Aimed at the moments that matter: while another node campaigns, the
   * vote this node may grant when it is back can elect a leader behind the back of the one it
   * acknowledged.
   */
  private void maybeCrashAfterAck() {
    boolean acknowledged = acknowledgedSinceCheck;
    acknowledgedSinceCheck = false;
    if (up && acknowledged && host.plan().crashAfterAckRate() > 0 && host.othersCampaign(this)
        && host.laterFaultsRandom().nextDouble() < host.plan().crashAfterAckRate()) {
      crash();
      host.crashedAfterAck(this);
      crashedBecause = "crashed right after acknowledging the leader";
    }
  }

  /** Whether {@code messages} answer an AppendEntries with a success. */
  private static boolean acknowledges(List<Outbound> messages) {
    for (Outbound o : messages) {
      if (o.message() instanceof AppendEntriesResponse r && r.success()) {
        return true;
      }
    }
    return false;
  }

  /** Adds what the shipper did since the last call to the run's counters. */
  private void countShipping() {
    SnapshotCounters counters = host.snapshotCounters();
    counters.transfers += shipper.transfersStarted() - shippedTransfers;
    counters.chunks += shipper.chunksSent() - shippedChunks;
    counters.abandoned += shipper.transfersAbandoned() - shipmentsAbandoned;
    shippedTransfers = shipper.transfersStarted();
    shippedChunks = shipper.chunksSent();
    shipmentsAbandoned = shipper.transfersAbandoned();
  }
  /** A snapshot arrived complete and durable: its state must be what every node had there. */
  private void received(SnapshotInfo stored) {
    host.snapshotCounters().received++;
    lastReceived = stored;
    long value;
    try (InputStream in = disk.snapshots().openState(stored)) {
      value = RunningHash.readValue(in);
    } catch (StorageException e) {
      return; // older than the snapshots kept, dropped at once: nothing stored to check
    } catch (IOException e) {
      throw new UncheckedIOException("reading back received snapshot " + stored.index()
          + " failed", e);
    }
    host.invariants().snapshotStored(index, stored.index(), stored.term(), value,
        "received a snapshot of");
  }

  /** Loads the snapshot the installer stored into the state machine; returns its index. */
  private long restore(LogPosition asked) {
    SnapshotInfo stored = installer.takeSnapshotToRestore();
    if (stored == null || stored.index() != asked.index() || stored.term() != asked.term()) {
      throw new IllegalStateException("asked to restore snapshot " + asked + " but installed "
          + stored);
    }
    appliedMembership = stored.membership();
    try (InputStream in = disk.snapshots().openState(stored)) {
      stateMachine.restore(stored.index(), in);
    } catch (IOException e) {
      throw new UncheckedIOException("loading installed snapshot " + stored.index() + " failed",
          e);
    }
    host.snapshotCounters().installed++;
    return stored.index();
  }


  /**
   * Calls into the protocol; anything it throws except {@link NotLeaderException} is a failure
   * of the run (the protocol's own assertions, such as "two leaders in term", land here).
   */
  private <T> T guarded(Supplier<T> call) {
    try {
      return call.get();
    } catch (NotLeaderException | InvariantViolation e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InvariantViolation(InvariantFamily.PROTOCOL_ERROR, name() + " threw " + e, e,
          name());
    }
  }

  // ------------------------------------------------------------------ what can be seen

  int index() {
    return index;
  }

  NodeId id() {
    return id;
  }

  String name() {
    return id.value();
  }

  boolean isUp() {
    return up;
  }

  /** Counts starts: a new life begins at every restart. */
  long life() {
    return life;
  }

  Role role() {
    return protocol.role();
  }

  boolean isLeader() {
    return protocol.role() == Role.LEADER;
  }

  long term() {
    return protocol.term();
  }

  NodeId leader() {
    return protocol.leader();
  }

  long commitIndex() {
    return protocol.commitIndex();
  }

  long appliedIndex() {
    return stateMachine.appliedIndex();
  }

  /** E.g. {@code n2 L t5 last=12 commit=10 applied=10 syncing}, or {@code n2 down}. */
  String describe() {
    if (!up) {
      return name() + " down";
    }
    char role = switch (protocol.role()) {
      case LEADER -> 'L';
      case CANDIDATE -> 'C';
      case PRE_CANDIDATE -> 'P';
      case FOLLOWER -> 'F';
    };
    long snap = protocol.snapshot().index();
    return name() + " " + role + " t" + protocol.term() + " last=" + protocol.lastLogIndex()
        + " commit=" + protocol.commitIndex() + " applied=" + stateMachine.appliedIndex()
        + (snap > 0 ? " snap=" + snap : "") + (syncing ? " syncing" : "")
        + (driver.syncInFlight() ? " bgsync" : "")
        + (stalled ? " stalled" : "") + membershipNote();
  }

  /** The membership in effect, once it differs from the one this node started with. */
  private String membershipNote() {
    Membership m = protocol.membership();
    if (m.equals(initial)) {
      return "";
    }
    return " m=" + names(m.voters()) + (m.isJoint() ? "|" + names(m.outgoingVoters()) : "")
        + (m.learners().isEmpty() ? "" : "+" + names(m.learners()));
  }

  private static String names(Set<NodeId> ids) {
    StringBuilder sb = new StringBuilder();
    for (NodeId id : ids) {
      sb.append(sb.length() == 0 ? "" : ",").append(id.value());
    }
    return sb.toString();
  }
}
