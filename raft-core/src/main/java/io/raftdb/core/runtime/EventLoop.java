package io.raftdb.core.runtime;

import io.raftdb.LogPosition;
import io.raftdb.NodeClosedException;
import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.RaftException;
import io.raftdb.NodeState;
import io.raftdb.NodeStatus;
import io.raftdb.NotLeaderException;
import io.raftdb.RaftConfig;
import io.raftdb.RaftMetrics;
import io.raftdb.message.AppendEntries;
import io.raftdb.message.InstallSnapshot;
import io.raftdb.RaftException;
import io.raftdb.ReadConsistency;
import io.raftdb.Role;
import io.raftdb.core.protocol.Outbound;
import io.raftdb.core.protocol.RaftProtocol;
import io.raftdb.core.protocol.ReadState;
import io.raftdb.core.protocol.Ready;
import io.raftdb.message.InstallSnapshotResponse;
import io.raftdb.message.LogEntry;
import io.raftdb.message.MembershipCodec;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.message.RaftMessage;
import io.raftdb.transport.Transport;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a node's event-loop thread, the only thread that touches the {@link RaftProtocol}
 * and writes to storage. Each iteration it:
 * <ol>
 *   <li>takes up to {@value #MAX_INPUTS_PER_ITERATION} inputs from the MPSC queue (proposals,
 *       inbound messages, reads, transfers) and feeds them to the protocol;
 *   <li>ticks the protocol once per tick interval elapsed (at most
 *       {@value #MAX_CATCH_UP_TICKS} after a pause, so a stalled node does not fire a burst of
 *       timeouts);
 *   <li>acts on the protocol's {@link Ready}s through the {@link ReadyDriver} (the simulator
 *       runs the same one). On a log that
 *       {@linkplain io.raftdb.storage.LogStorage#syncsConcurrently() syncs concurrently} the
 *       entries are written and a {@link LogSyncer} thread syncs them while the loop goes on
 *       (pipelined persistence), one sync for every batch written before it started (group
 *       commit); on other logs every ready is synced in line;
 *   <li>publishes a fresh {@link NodeStatus};
 *   <li>parks until the next tick is due, unless more work is waiting or arrives.
 * </ol>
 *
 * <p>A storage failure stops the node at once: nothing that depends on the failed write (the
 * messages sent after persisting, the protocol's advance) happens.
 */
final class EventLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
  /** Inputs fed to the protocol before acting on its output; bounds one iteration's latency. */
  static final int MAX_INPUTS_PER_ITERATION = 4096;
  /** The most ticks fired at once after the loop was held up (by a slow sync, a GC pause). */
  static final int MAX_CATCH_UP_TICKS = 3;
  /** Readies handled before looking at the inputs again, so that inputs are never starved. */
  private static final int MAX_READIES_PER_ITERATION = 16;
  /** At most one warning about invalid messages per this many nanoseconds. */
  private static final long INVALID_MESSAGE_LOG_NANOS = 10_000_000_000L;

  private final NodeId self;
  private final RaftProtocol protocol;
  private final NodeStorage storage;
  private final Transport transport;
  /** Syncs the log on its own thread; null when the log syncs in line. */
  private final LogSyncer syncer;
  private final ReadyDriver driver;
  private boolean storageFailed;
  private final Mailbox inputs;
  private final Mailbox applyQueue;
  private final ApplyLoop applier;
  /** Whether this loop runs {@link #applier} itself ({@link RaftConfig#applyOnEventLoop()}). */
  private final boolean applyOnLoop;
  private final NodeLifecycle lifecycle;
  private final long tickNanos;
  private final long transferTimeoutNanos;
  private final PendingCommands commands = new PendingCommands();
  private final PendingReads reads = new PendingReads();
  private final List<TransferRequest> transfers = new ArrayList<>();
  private final SnapshotShipper shipper;
  private final SnapshotInstaller installer;
  private final NodeListeners listeners;
  private final RaftMetrics metrics;
  /** Whether anyone records traffic: counting it walks every message's entries. */
  private final boolean countsTraffic;
  private long electionsReported;
  private long leadershipsReported;
  private final long maxApplyBacklogBytes;
  /** Committed-entry bytes handed to the apply thread so far (compared with what it applied). */
  private long handedOutBytes;
  private boolean running;
  private volatile NodeStatus status;
  /** The input being handled, named in the report if handling it throws. */
  private Object handling;
  private long invalidMessagesLogged;
  private long invalidMessageLoggedAt;

  EventLoop(RaftProtocol protocol, long groupId, NodeStorage storage, Transport transport,
      LogSyncer syncer, RaftConfig config, Mailbox inputs, Mailbox applyQueue, ApplyLoop applier,
      NodeLifecycle lifecycle, NodeListeners listeners, RaftMetrics metrics) {
    this.metrics = metrics;
    this.countsTraffic = metrics != RaftMetrics.NONE;
    this.self = protocol.self();
    this.protocol = protocol;
    this.storage = storage;
    this.transport = transport;
    this.syncer = syncer;
    this.inputs = inputs;
    this.applyQueue = applyQueue;
    this.applier = applier;
    this.applyOnLoop = config.applyOnEventLoop();
    this.lifecycle = lifecycle;
    this.listeners = listeners;
    this.maxApplyBacklogBytes = config.maxApplyBacklogBytes();
    this.tickNanos = config.tickInterval().toNanos();
    this.transferTimeoutNanos = config.electionTimeout().toNanos();
    this.shipper = new SnapshotShipper(protocol, storage.snapshots(), this::send, groupId,
        config.snapshotChunkBytes(), config.electionTimeout().toNanos());
    this.installer = new SnapshotInstaller(protocol, storage.snapshots(), groupId, installed -> {
      LOG.info("node {} received snapshot {}@{}", self, installed.index(), installed.term());
      metrics.snapshotInstalled();
    });
    this.driver = new ReadyDriver(protocol, storage.log(), storage.meta(), syncer != null,
        shipper, installer, new DriverHost());
    publishStatus();
  }

  /** The status as of the end of the last iteration. Never blocks; any thread. */
  NodeStatus status() {
    return status;
  }

  @Override
  public void run() {
    long nextTick = System.nanoTime() + tickNanos;
    running = true;
    publishStatus();
    if (syncer != null) {
      syncer.start();
    }
    try {
      while (!lifecycle.isStopping()) {
        if (!releaseSynced()) {
          break; // a sync failed; the node is stopping
        }
        int taken = takeInputs();
        long now = System.nanoTime();
        if (now - nextTick >= 0) {
          nextTick = tick(now, nextTick);
        }
        // A slow state machine holds back what is handed to it, not the log or the group.
        protocol.limitHandOut(maxApplyBacklogBytes - (handedOutBytes - applier.appliedBytes()));
        if (!handleReadies()) {
          break; // storage failed; the node is stopping
        }
        if (applyOnLoop) {
          applier.drainOnEventLoop();
        }
        if (driver.syncDue()) {
          syncer.request(driver.startSync());
        }
        publishStatus(); // before settling transfers, so their callers see the new leader
        reportElections();
        if (!transfers.isEmpty()) {
          settleTransfers(now);
        }
        shipper.checkProgress(now);
        if (taken < MAX_INPUTS_PER_ITERATION && !protocol.hasReady()) {
          inputs.sleepUntil(nextTick);
        }
      }
    } catch (Throwable t) {
      // Storage failures are handled where they happen; anything else here is a bug in RaftDB
      // (or an Error such as running out of memory), and continuing could break safety.
      LOG.error("node {} stops: BUG: its event loop threw{}", self,
          handling == null ? "" : " while handling " + abbreviate(handling), t);
      lifecycle.stop(t);
    } finally {
      finish();
      lifecycle.threadEnded();
    }
  }

  /** Releases everything for a node that was closed before it started. */
  void finishWithoutRunning() {
    finish();
  }

  // ------------------------------------------------------------------------------ inputs

  private int takeInputs() {
    // Not an input: the bounded queue could drop it, and the log would stay uncompacted.
    SnapshotInfo saved = applier.takeSavedSnapshot();
    if (saved != null) {
      snapshotSaved(saved);
    }
    int taken = 0;
    Object input;
    while (taken < MAX_INPUTS_PER_ITERATION && (input = inputs.poll()) != null) {
      taken++;
      handling = input;
      if (input instanceof PendingCommand c) {
        propose(c);
      } else if (input instanceof ProposalGroup g) {
        for (PendingCommand c : g.commands()) {
          propose(c);
        }
      } else if (input instanceof RaftMessage m) {
        if (countsTraffic) {
          metrics.received(payloadBytes(m));
        }
        if (!protocol.step(m)) {
          metrics.dropped();
          invalidMessageDropped();
        } else if (m instanceof InstallSnapshotResponse r) {
          shipper.onResponse(r, System.nanoTime());
        }
      } else if (input instanceof ReadRequest r) {
        read(r);
      } else {
        transfer((TransferRequest) input);
      }
    }
    handling = null;
    return taken;
  }

  private static String abbreviate(Object o) {
    String s = String.valueOf(o);
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }

  /**
   * A peer sent a message no correct peer sends (a bug or corruption on its side, or someone
   * who is not a peer): the protocol dropped it. Say so, but not once per message.
   */
  private void invalidMessageDropped() {
    long now = System.nanoTime();
    long dropped = protocol.invalidMessages();
    if (invalidMessagesLogged == 0 || now - invalidMessageLoggedAt >= INVALID_MESSAGE_LOG_NANOS) {
      LOG.warn("node {} dropped {} invalid message(s) since the last report; the last: {}", self,
          dropped - invalidMessagesLogged, protocol.lastInvalidMessage());
      invalidMessagesLogged = dropped;
      invalidMessageLoggedAt = now;
    }
  }

  private void propose(PendingCommand c) {
    try {
      if (c.membershipChange == null) {
        c.appended(protocol.appendProposal(c.kind, c.command), protocol.term());
      } else if (!proposeMembership(c)) {
        return;
      }
    } catch (RaftException | IllegalArgumentException | IllegalStateException e) {
      // (not leader, a refused membership change, or one the caller's function refused)
      c.fail(e);
      return;
    }
    commands.add(c);
  }

  /**
   * Proposes a membership change, unless the leader's committed membership already is what it
   * asks for: then it is answered at once (a retried change must not fail as a second one).
   *
   * @return whether an entry was appended
   */
  private boolean proposeMembership(PendingCommand c) {
    Membership current = protocol.membership();
    Membership next = c.membershipChange.apply(current);
    if (next.equals(current) && protocol.role() == Role.LEADER
        && protocol.membershipCommitted()) {
      c.applied(MembershipCodec.encode(current));
      return false;
    }
    LogPosition appended = protocol.proposeMembership(next);
    c.appended(appended.index(), appended.term());
    return true;
  }

  private void read(ReadRequest r) {
    if (r.consistency == ReadConsistency.STALE) {
      applyQueue.offer(r); // readIndex 0: whatever is applied will do
      return;
    }
    long id = reads.register(r);
    try {
      protocol.readIndex(id, r.consistency);
    } catch (NotLeaderException e) {
      reads.forget(id);
      r.fail(e);
    }
  }

  /** The log entry or snapshot bytes a message carries (what the metrics count as traffic). */
  private static long payloadBytes(RaftMessage m) {
    if (m instanceof AppendEntries ae) {
      long bytes = 0;
      for (LogEntry e : ae.entries()) {
        bytes += e.payload().length;
      }
      return bytes;
    }
    return m instanceof InstallSnapshot is ? is.data().length : 0;
  }

  /** A snapshot of ours is durable: the log before it may go (whole segments at a time). */
  private void snapshotSaved(SnapshotInfo s) {
    metrics.snapshotTaken();
    protocol.snapshotSaved(s.index(), s.term());
    storage.log().compactPrefix(s.index());
  }

  private void transfer(TransferRequest t) {
    try {
      protocol.transferLeadership(t.target);
    } catch (NotLeaderException | IllegalArgumentException e) {
      t.fail(e);
      return;
    }
    if (t.target.equals(self)) {
      t.future.settle(null); // it already leads
      return;
    }
    t.deadlineNanos = System.nanoTime() + transferTimeoutNanos;
    transfers.add(t);
  }

  /** Fires the ticks due by {@code now}; returns when the next one is due. */
  private long tick(long now, long nextTick) {
    long due = (now - nextTick) / tickNanos + 1;
    for (long i = Math.min(due, MAX_CATCH_UP_TICKS); i > 0; i--) {
      protocol.tick();
    }
    return nextTick + due * tickNanos;
  }

  // ------------------------------------------------------------------------------ output

  /** Acts on what the protocol has ready; false if storage failed and the node stops. */
  private boolean handleReadies() {
    for (int i = 0; i < MAX_READIES_PER_ITERATION && protocol.hasReady(); i++) {
      driver.handle(protocol.ready(), System.nanoTime());
      if (storageFailed) {
        return false;
      }
    }
    if (!protocol.hasReady()) {
      driver.idle();
    }
    return true;
  }

  /** The runtime's side of the {@link ReadyDriver}: transport, apply thread, sync thread. */
  private final class DriverHost implements ReadyDriver.Host {
    @Override
    public void send(List<Outbound> messages) {
      EventLoop.this.send(messages);
    }

    @Override
    public void handOver(Ready ready) {
      EventLoop.this.handOver(ready);
    }

    @Override
    public void afterSyncInFlight(Runnable then) {
      long covered;
      try {
        covered = syncer.awaitIdle();
      } catch (RuntimeException e) {
        storageFailed(e);
        return;
      }
      driver.synced(covered);
      then.run();
    }

    @Override
    public void syncInLine(boolean logWritten, Runnable then) {
      if (logWritten) {
        try {
          storage.log().sync();
        } catch (RuntimeException e) {
          storageFailed(e);
          return;
        }
      }
      then.run();
    }

    @Override
    public void storageFailed(RuntimeException failure) {
      EventLoop.this.storageFailed(failure);
    }
  }

  private void send(List<Outbound> messages) {
    for (int i = 0, n = messages.size(); i < n; i++) {
      send(messages.get(i));
    }
  }

  private void send(Outbound o) {
    try {
      transport.send(o.to(), o.message());
      if (countsTraffic) {
        metrics.sent(payloadBytes(o.message()));
      }
    } catch (RuntimeException e) {
      metrics.dropped();
      // Raft tolerates a lost message; a transport that throws instead of dropping is no
      // reason to stop the node.
      LOG.debug("node {}: sending to {} failed", self, o.to(), e);
    }
  }

  /** Releases what the syncs that returned meanwhile cover; false if one failed. */
  private boolean releaseSynced() {
    if (syncer == null || !syncer.hasNews()) {
      return true;
    }
    long covered;
    try {
      covered = syncer.takeSynced();
    } catch (RuntimeException e) {
      storageFailed(e);
      return false;
    }
    driver.synced(covered);
    return true;
  }

  private void storageFailed(RuntimeException e) {
    storageFailed = true;
    LOG.error("node {} stops: its storage failed", self, e);
    lifecycle.stop(e);
  }

  /** Passes committed entries and confirmed reads to the apply thread; fails dropped reads. */
  private void handOver(Ready ready) {
    if (ready.snapshotToRestore() != null) {
      applyQueue.offer(new RestoreSnapshot(installer.takeSnapshotToRestore()));
    }
    List<LogEntry> committed = ready.committedEntries();
    if (!committed.isEmpty()) {
      long bytes = ready.committedBytes();
      handedOutBytes += bytes;
      long now = System.nanoTime();
      PendingCommand[] settled = commands.settle(committed);
      if (settled != null) {
        for (PendingCommand c : settled) {
          if (c != null) {
            metrics.committed(now - c.proposedAtNanos);
          }
        }
      }
      // The protocol hands out a fresh list in every ready and never touches it again.
      applyQueue.offer(new ApplyBatch(committed, settled, bytes, now));
    }
    List<ReadState> readStates = ready.readStates();
    for (int i = 0, n = readStates.size(); i < n; i++) {
      ReadRequest r = reads.confirmed(readStates.get(i));
      if (r != null) {
        applyQueue.offer(r); // after the entries it may need: the queue keeps order
      }
    }
    for (Long id : ready.droppedReads()) {
      ReadRequest r = reads.remove(id);
      if (r != null) {
        r.fail(new NotLeaderException(self, protocol.leader()));
      }
    }
  }

  private void settleTransfers(long now) {
    boolean handedOver = protocol.role() != Role.LEADER;
    NodeId leader = protocol.leader();
    for (Iterator<TransferRequest> it = transfers.iterator(); it.hasNext(); ) {
      TransferRequest t = it.next();
      if (handedOver && t.target.equals(leader)) {
        it.remove();
        t.future.settle(null);
      } else if (now - t.deadlineNanos >= 0) {
        it.remove();
        t.fail(new RaftException("leadership transfer from " + self + " to " + t.target
            + " did not complete within " + transferTimeoutNanos / 1_000_000 + " ms"));
      }
    }
  }

  private void reportElections() {
    for (; electionsReported < protocol.electionsStarted(); electionsReported++) {
      metrics.electionStarted();
    }
    for (; leadershipsReported < protocol.leaderships(); leadershipsReported++) {
      metrics.becameLeader();
    }
  }

  /** Publishes a new status if anything in it changed. */
  private void publishStatus() {
    Role role = protocol.role();
    long term = protocol.term();
    NodeId leader = protocol.leader();
    long commit = protocol.commitIndex();
    long applied = applier.appliedIndex();
    long first = storage.log().firstIndex();
    long last = storage.log().lastIndex();
    Membership membership = protocol.membership();
    NodeState state = running ? NodeState.RUNNING : NodeState.STARTING;
    NodeStatus s = status;
    if (s == null || (s.membership() != membership
        && !s.membership().addresses().equals(membership.addresses()))) {
      transport.learnAddresses(membership.addresses()); // members added since it was built
    }
    if (s != null && s.role() == role && s.term() == term
        && Objects.equals(s.leader().orElse(null), leader) && s.commitIndex() == commit
        && s.appliedIndex() == applied && s.firstLogIndex() == first && s.lastLogIndex() == last
        && s.membership() == membership && s.state() == state) {
      return;
    }
    publish(new NodeStatus(self, role, term, Optional.ofNullable(leader), commit, applied, first,
        last, membership, state, Optional.empty(), protocol.matchIndexes()));
  }

  private void publish(NodeStatus s) {
    NodeStatus before = status;
    status = s;
    if (before != null) {
      listeners.statusChanged(before, s);
    }
  }

  // ------------------------------------------------------------------------------ shutdown

  /**
   * Fails everything pending here and in the input queue, closes transport and storage (this
   * thread is their only user, so closing them here cannot pull them from under a write), and
   * lets the apply thread finish.
   */
  private void finish() {
    NodeClosedException closed = lifecycle.closedException();
    try {
      publishStoppedStatus();
      commands.failAll(closed);
      reads.failAll(closed);
      for (TransferRequest t : transfers) {
        t.fail(closed);
      }
      transfers.clear();
      failQueuedInputs(closed);
      installer.abort();
      closeTransport();
      if (syncer != null) {
        syncer.stop(); // before the log closes under it
      }
      storage.closeQuietly();
    } catch (RuntimeException | Error e) {
      LOG.error("node {}: shutting down the event loop failed", self, e);
    } finally {
      lifecycle.markLoopFinished();
      if (applyOnLoop) {
        applier.finishOnEventLoop();
      } else {
        applyQueue.wakeNow();
      }
    }
  }

  /** A stopped node leads nobody: publish that and why, keeping the last known indices. */
  private void publishStoppedStatus() {
    NodeStatus s = status;
    publish(new NodeStatus(self, Role.FOLLOWER, s.term(), Optional.empty(), s.commitIndex(),
        applier.appliedIndex(), s.firstLogIndex(), s.lastLogIndex(), s.membership(),
        NodeState.STOPPED, lifecycle.stopCause(), Map.of()));
  }

  private void failQueuedInputs(NodeClosedException closed) {
    // Producers look at the stop flag before offering, so this ends; the bound is a safety net.
    for (int i = 0; i < EventLoopRaftNode.MAX_QUEUED_INPUTS; i++) {
      Object input = inputs.pollStrictly();
      if (input == null) {
        return;
      }
      if (input instanceof LoopRequest r) {
        r.fail(closed);
      }
    }
  }

  private void closeTransport() {
    try {
      transport.close();
    } catch (RuntimeException e) {
      LOG.warn("node {}: closing the transport failed", self, e);
    }
  }
}
