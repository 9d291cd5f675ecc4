package io.raftdb.sim.dst;

import io.raftdb.LogPosition;
import io.raftdb.core.protocol.Outbound;
import io.raftdb.core.protocol.RaftProtocol;
import io.raftdb.message.InstallSnapshot;
import io.raftdb.message.InstallSnapshotResponse;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotReceiver;
import io.raftdb.storage.SnapshotStorage;
import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The follower's side of InstallSnapshot in the simulator, a close copy of the runtime's
 * {@code SnapshotInstaller}: stores the chunks in order, answers each with the offset it expects
 * next, and once the snapshot is complete, checked and published, hands it to the protocol
 * ({@link RaftProtocol#installSnapshot}, which the node calls only after {@code advance}). The
 * final answer ("done") promises that the log continues from the snapshot, so it is held back
 * until the node has no ready left, by which time the log reset is durable.
 *
 * <p>Every published snapshot is read back and compared with the committed state at its index.
 */
final class SimSnapshotInstaller {
  private final RaftProtocol protocol;
  private final SnapshotStorage snapshots;
  private final int node;
  private final NodeHost host;
  private SnapshotReceiver receiver;
  private SnapshotInfo toRestore;
  private final List<Outbound> doneAnswers = new ArrayList<>();

  SimSnapshotInstaller(RaftProtocol protocol, SnapshotStorage snapshots, int node,
      NodeHost host) {
    this.protocol = protocol;
    this.snapshots = snapshots;
    this.node = node;
    this.host = host;
  }

  /** Stores the chunks; returns the answers that may be sent at once. */
  List<Outbound> accept(List<InstallSnapshot> chunks) {
    List<Outbound> answers = new ArrayList<>(chunks.size());
    for (InstallSnapshot c : chunks) {
      InstallSnapshotResponse answer = accept(c);
      if (answer != null) {
        answers.add(new Outbound(c.from(), answer));
      }
    }
    return answers;
  }

  private InstallSnapshotResponse accept(InstallSnapshot c) {
    if (receiver != null
        && (receiver.index() != c.snapshotIndex() || receiver.term() != c.snapshotTerm())) {
      receiver.abort(); // the leader moved on to another snapshot
      receiver = null;
    }
    if (receiver == null) {
      if (c.offset() != 0) {
        return answer(c, 0, false); // start over from the beginning
      }
      receiver = snapshots.receive(c.snapshotIndex(), c.snapshotTerm());
    }
    if (c.offset() != receiver.received()) {
      return answer(c, receiver.received(), false); // a lost or repeated chunk: resync
    }
    try {
      receiver.write(c.offset(), c.data());
      if (!c.done()) {
        return answer(c, receiver.received(), false);
      }
      SnapshotInfo installed = receiver.commit();
      receiver = null;
      host.snapshotCounters().received++;
      checkStored(installed);
      if (protocol.installSnapshot(installed.index(), installed.term())) {
        toRestore = installed;
      }
      doneAnswers.add(new Outbound(c.from(), answer(c, installed.sizeBytes(), true)));
      return null;
    } catch (StorageException e) {
      if (receiver != null) {
        receiver.abort();
        receiver = null;
      }
      return answer(c, 0, false);
    }
  }

  private void checkStored(SnapshotInfo stored) {
    long value;
    try (InputStream in = snapshots.openState(stored)) {
      value = RunningHash.readValue(in);
    } catch (StorageException e) {
      return; // older than the snapshots kept, dropped at once: nothing stored to check
    } catch (IOException e) {
      throw new UncheckedIOException("reading back received snapshot " + stored.index()
          + " failed", e);
    }
    host.invariants().snapshotStored(node, stored.index(), stored.term(), value,
        "received a snapshot of");
  }

  /**
   * Loads the installed snapshot the protocol's ready asks for ({@code asked}) into
   * {@code state}, in place of everything applied; returns the index it covers.
   */
  long restore(LogPosition asked, RunningHash state) {
    SnapshotInfo stored = toRestore;
    toRestore = null;
    if (stored == null || stored.index() != asked.index() || stored.term() != asked.term()) {
      throw new IllegalStateException("asked to restore snapshot " + asked + " but installed "
          + stored);
    }
    try (InputStream in = snapshots.openState(stored)) {
      state.restore(stored.index(), in);
    } catch (IOException e) {
      throw new UncheckedIOException("loading installed snapshot " + stored.index() + " failed",
          e);
    }
    host.snapshotCounters().installed++;
    return stored.index();
  }

  /** The "done" answers, to send once the log reset is durable; taken once. */
  List<Outbound> takeDoneAnswers() {
    if (doneAnswers.isEmpty()) {
      return List.of();
    }
    List<Outbound> out = List.copyOf(doneAnswers);
    doneAnswers.clear();
    return out;
  }

  private InstallSnapshotResponse answer(InstallSnapshot c, long nextOffset, boolean done) {
    return new InstallSnapshotResponse(0, protocol.self(), protocol.term(), c.snapshotIndex(),
        nextOffset, done);
  }
}
