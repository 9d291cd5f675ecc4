package io.raftdb.sim.dst;

import io.raftdb.Membership;
import io.raftdb.StateMachine;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotStorage;
import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * When one life of a simulated node takes a snapshot, and its writing on virtual time, as the
 * runtime's {@code SnapshotTaker} does it: once {@link SnapshotPlan#every()} entries were applied
 * since the last snapshot, the state machine's state is captured at once (after the applied
 * batch, before anything else is applied), and the write completes later, during which the node
 * goes on applying; only one snapshot is written at a time. A completed write publishes the
 * snapshot (durable from then on), and the node then hears of it as an input, as the runtime's
 * event loop does, which lets the log drop the prefix it covers. A crash before the write
 * completes loses the snapshot.
 */
final class SimSnapshotTaker {
  /** The shortest snapshot write, in virtual microseconds. */
  static final long MIN_WRITE = 100;

  private final SimNode node;
  private final NodeHost host;
  private final SnapshotPlan plan;
  private final BrokenVariant variant;
  private final SnapshotStorage store;
  private final long life;
  private boolean writing;
  /** The index of the last snapshot taken or restored in this life. */
  private long lastSnapshotIndex;

  SimSnapshotTaker(SimNode node, NodeHost host, SnapshotPlan plan, BrokenVariant variant,
      SnapshotStorage store, long startIndex) {
    this.node = node;
    this.host = host;
    this.plan = plan;
    this.variant = variant;
    this.store = store;
    this.life = node.life();
    this.lastSnapshotIndex = startIndex;
  }

  /** The node applied a batch ending at {@code (index, term)}; takes a snapshot if due. */
  void afterApply(long index, long term, RunningHash state) {
    if (!plan.on() || writing || index - lastSnapshotIndex < plan.every()) {
      return;
    }
    writing = true;
    lastSnapshotIndex = index;
    StateMachine.SnapshotWriter writer = variant == BrokenVariant.UNPINNED_SNAPSHOT
        ? state.captureUnpinned(plan.stateBytes()) : state.capture(plan.stateBytes());
    if (variant == BrokenVariant.EAGER_COMPACTION) {
      node.compact(index); // broken: before the snapshot is durable
    }
    Membership members = node.appliedMembership(); // of the applied index, as the state is
    host.events().after(writeTime(), node.name() + " snapshot " + index + "@" + term + " written",
        () -> written(index, term, members, writer));
  }

  /** A snapshot was loaded into the state machine; count from there. */
  void restored(long index) {
    lastSnapshotIndex = Math.max(lastSnapshotIndex, index);
  }

  private long writeTime() {
    long t = MIN_WRITE + host.random().nextLong(plan.maxWrite());
    FaultPlan faults = host.plan();
    if (faults.maxSlowDisk() > 0 && host.random().nextDouble() < faults.slowDiskRate()) {
      t += host.random().nextLong(faults.maxSlowDisk());
    }
    return t;
  }

  private String written(long index, long term, Membership members,
      StateMachine.SnapshotWriter writer) {
    if (!node.isUp() || node.life() != life) {
      return "stale: the node crashed before the snapshot was published";
    }
    writing = false;
    SnapshotInfo saved = store.save(index, term, members, writer);
    host.snapshotCounters().taken++;
    String kept = checkStored(saved);
    String note = node.snapshotSaved(saved);
    return "published, " + saved.sizeBytes() + " bytes" + kept + (note.isEmpty() ? "" : "; "
        + note);
  }

  /** Reads the published snapshot back and has the checkers compare it with the committed state. */
  private String checkStored(SnapshotInfo saved) {
    long value;
    try (InputStream in = store.openState(saved)) {
      value = RunningHash.readValue(in);
    } catch (StorageException e) {
      return " (older than the snapshots kept: dropped at once)";
    } catch (IOException e) {
      throw new UncheckedIOException("reading back snapshot " + saved.index() + " failed", e);
    }
    host.invariants().snapshotStored(node.index(), saved.index(), saved.term(), value,
        "took a snapshot of");
    return "";
  }
}
