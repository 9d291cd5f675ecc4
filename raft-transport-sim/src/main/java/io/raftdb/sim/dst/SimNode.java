package io.raftdb.sim.dst;

import io.raftdb.LogPosition;
import io.raftdb.NodeId;
import io.raftdb.NotLeaderException;
import io.raftdb.RaftConfig;
import io.raftdb.ReadConsistency;
import io.raftdb.Role;
import io.raftdb.core.protocol.Outbound;
import io.raftdb.core.protocol.RaftProtocol;
import io.raftdb.core.protocol.ReadState;
import io.raftdb.core.protocol.Ready;
import io.raftdb.message.LogEntry;
import io.raftdb.message.RaftMessage;
import io.raftdb.storage.LogStorage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One simulated node: a {@link RaftProtocol} driven the way the real runtime drives it, on
 * virtual time and in the simulator's single thread.
 *
 * <p>After every input it takes the protocol's {@link Ready} and follows the order that
 * {@code Ready} prescribes: send {@code messages()} at once; write the entries (visible, not yet
 * durable); sync, which takes virtual time during which the node does nothing else (inputs queue
 * up, as they would in the runtime's mailbox while its loop blocks on the sync); then save the
 * term and vote, make the log durable, send {@code messagesAfterPersist()}, apply the committed
 * entries, serve confirmed reads and {@code advance}. A crash at any moment loses whatever the
 * disk had not made durable, and the node restarts later from what it had.
 */
final class SimNode {
  /** Virtual microseconds between two ticks of a clock running at rate 1. */
  static final long TICK_MICROS = 10_000;
  /** The shortest and longest ordinary sync, in microseconds. */
  static final long MIN_SYNC = 20;
  static final long MAX_SYNC = 300;

  private final int index;
  private final NodeId id;
  private final List<NodeId> members;
  private final RaftConfig config;
  private final NodeHost host;
  private final SimDisk disk;

  private RaftProtocol protocol;
  private boolean up;
  private long life;
  private boolean syncing;
  private final ArrayDeque<Runnable> backlog = new ArrayDeque<>();
  private RunningHash stateMachine = new RunningHash();
  private final ArrayList<ReadState> confirmedReads = new ArrayList<>();
  private double clockRate = 1.0;

  SimNode(int index, List<NodeId> members, RaftConfig config, NodeHost host, SimDisk disk) {
    this.index = index;
    this.id = members.get(index);
    this.members = members;
    this.config = config;
    this.host = host;
    this.disk = disk;
  }

  // ------------------------------------------------------------------ life and death

  /** Starts (or restarts) the node from what its disk holds durably. */
  void start() {
    life++;
    up = true;
    syncing = false;
    backlog.clear();
    stateMachine = new RunningHash();
    confirmedReads.clear();
    LogStorage log = disk.log();
    host.invariants().restarted(index, log);
    protocol = guarded(() -> new RaftProtocol(0, id, members, config, log, disk.meta().load(),
        host.random().split()));
    // A random phase, so that the nodes' ticks do not line up.
    scheduleTick(host.random().nextLong(tickPeriod()) + 1);
  }

  /** Kills the node: everything not durable is lost, inputs queued for it are dropped. */
  void crash() {
    up = false;
    syncing = false;
    backlog.clear();
    confirmedReads.clear();
    disk.crash();
  }

  /** Sets how fast this node's clock runs (1 = true time); takes effect from the next tick. */
  void clockRate(double rate) {
    this.clockRate = rate;
  }

  // ------------------------------------------------------------------ inputs

  /** A message arrives from the network. */
  String receive(RaftMessage m) {
    return input(() -> guarded(() -> {
      protocol.step(m);
      return null;
    }));
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

  private void scheduleTick(long delay) {
    long myLife = life;
    host.events().after(delay, name() + " tick", () -> {
      if (!up || life != myLife) {
        return "stale";
      }
      scheduleTick(tickPeriod());
      return input(() -> guarded(() -> {
        protocol.tick();
        return null;
      }));
    });
  }

  private long tickPeriod() {
    return Math.max(1, Math.round(TICK_MICROS * clockRate));
  }

  /** Runs an input now, or queues it while the node waits for its disk. */
  private String input(Runnable action) {
    if (!up) {
      return "dropped: node down";
    }
    if (syncing) {
      backlog.add(action);
      return "queued behind sync (" + backlog.size() + " waiting)";
    }
    action.run();
    drive();
    host.invariants().afterInput(this);
    return "";
  }

  // ------------------------------------------------------------------ the Ready loop

  private void drive() {
    while (up && !syncing && guarded(protocol::hasReady)) {
      handle(guarded(protocol::ready));
    }
  }

  private void handle(Ready rd) {
    if (rd.logReset() != null || rd.snapshotToRestore() != null
        || !rd.snapshotsToSend().isEmpty() || !rd.snapshotChunks().isEmpty()) {
      // The simulator never compacts a log, so no snapshot should ever be needed; if one is,
      // the run must stop rather than silently skip a part of the Ready contract.
      throw new IllegalStateException(name() + ": the simulator does not model snapshots yet,"
          + " but the protocol asked for snapshot work: " + rd);
    }
    Invariants inv = host.invariants();
    inv.committed(index, rd.committedEntries(), protocol.term());
    for (Outbound o : rd.messages()) {
      host.send(index, o);
    }
    if (!rd.entries().isEmpty()) {
      LogStorage log = disk.log();
      long first = rd.entries().get(0).index();
      if (first <= log.lastIndex()) {
        log.truncateSuffix(first);
        inv.logTruncated(index, first);
      }
      log.append(rd.entries());
      inv.logAppended(index, rd.entries());
    }
    if (rd.nothingToPersist()) {
      finish(rd);
      return;
    }
    syncing = true;
    long myLife = life;
    FaultPlan plan = host.plan();
    long syncTime = MIN_SYNC + host.random().nextLong(MAX_SYNC - MIN_SYNC + 1);
    if (plan.maxSlowDisk() > 0 && host.random().nextDouble() < plan.slowDiskRate()) {
      syncTime += host.random().nextLong(plan.maxSlowDisk());
    }
    host.events().after(syncTime, name() + " sync done", () -> syncDone(myLife, rd));
  }

  private String syncDone(long myLife, Ready rd) {
    if (!up || life != myLife) {
      return "stale: the node crashed before its sync finished";
    }
    if (rd.hardState() != null) {
      disk.meta().save(rd.hardState());
      host.invariants().hardStateSaved(index, rd.hardState());
    }
    disk.log().sync();
    if (host.plan().crashAfterSyncRate() > 0
        && host.random().nextDouble() < host.plan().crashAfterSyncRate()) {
      crash();
      host.crashedItself(this);
      return "crashed after the sync, before sending " + rd.messagesAfterPersist().size()
          + " messages";
    }
    syncing = false;
    finish(rd);
    int waiting = backlog.size();
    drive();
    while (up && !syncing && !backlog.isEmpty()) {
      backlog.poll().run();
      drive();
      host.invariants().afterInput(this);
    }
    return waiting == 0 ? "" : "then ran " + (waiting - backlog.size()) + " queued inputs";
  }

  /** The part after persistence: send, apply, serve reads, advance. */
  private void finish(Ready rd) {
    for (Outbound o : rd.messagesAfterPersist()) {
      host.send(index, o);
    }
    Invariants inv = host.invariants();
    for (LogEntry e : rd.committedEntries()) {
      inv.applying(index, e.index());
      long value = stateMachine.apply(e);
      inv.applied(index, e.index(), value);
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
    guarded(() -> {
      protocol.advance(rd);
      return null;
    });
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
    return name() + " " + role + " t" + protocol.term() + " last=" + protocol.lastLogIndex()
        + " commit=" + protocol.commitIndex() + " applied=" + stateMachine.appliedIndex()
        + (syncing ? " syncing" : "");
  }
}
