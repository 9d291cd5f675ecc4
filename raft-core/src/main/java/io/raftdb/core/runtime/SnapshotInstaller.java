package io.raftdb.core.runtime;

import io.raftdb.core.protocol.Outbound;
import io.raftdb.core.protocol.RaftProtocol;
import io.raftdb.message.InstallSnapshot;
import io.raftdb.message.InstallSnapshotResponse;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotReceiver;
import io.raftdb.storage.SnapshotStorage;
import io.raftdb.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower's side of InstallSnapshot: stores the chunks the leader ships in order, answers
 * each with the offset it expects next, and once the snapshot is complete, checked and durable,
 * hands it to the protocol. Event-loop thread only.
 *
 * <p>The final answer ("done") promises that the log now continues from the snapshot, so it is
 * held back until the log reset the protocol asks for has been persisted.
 *
 * <p>Used by one thread, the node's event loop, between {@link RaftProtocol#advance} and the
 * next {@link RaftProtocol#ready}.
 */
public final class SnapshotInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotInstaller.class);

  private final RaftProtocol protocol;
  private final SnapshotStorage snapshots;
  private final long groupId;
  private final Consumer<SnapshotInfo> onReceived;
  private SnapshotReceiver receiver;
  private SnapshotInfo toRestore;
  private final List<Outbound> doneAnswers = new ArrayList<>();

  /**
   * @param protocol the node's protocol, handed each complete snapshot
   * @param snapshots where chunks are stored (may be {@code null}: chunks are ignored)
   * @param groupId the group the answers belong to
   * @param onReceived told of each snapshot received complete and durable, before the protocol
   */
  public SnapshotInstaller(RaftProtocol protocol, SnapshotStorage snapshots, long groupId,
      Consumer<SnapshotInfo> onReceived) {
    this.protocol = protocol;
    this.snapshots = snapshots;
    this.groupId = groupId;
    this.onReceived = onReceived;
  }

  /** Stores the chunks; returns the answers that may be sent at once. */
  public List<Outbound> accept(List<InstallSnapshot> chunks) {
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
    if (snapshots == null) {
      LOG.warn("node {}: leader {} sends a snapshot but this node has no snapshot storage",
          protocol.self(), c.from());
      return null;
    }
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
      onReceived.accept(installed);
      if (protocol.installSnapshot(installed.index(), installed.term())) {
        toRestore = installed;
      }
      doneAnswers.add(new Outbound(c.from(), answer(c, installed.sizeBytes(), true)));
      return null;
    } catch (StorageException e) {
      LOG.warn("node {}: storing snapshot {} from {} failed; asking for it again",
          protocol.self(), c.snapshotIndex(), c.from(), e);
      if (receiver != null) {
        receiver.abort();
        receiver = null;
      }
      return answer(c, 0, false);
    }
  }

  /** The snapshot whose restore the protocol's next ready asks for; taken once. */
  public SnapshotInfo takeSnapshotToRestore() {
    SnapshotInfo s = toRestore;
    toRestore = null;
    return s;
  }

  /** The "done" answers, to send once the log reset is durable; taken once. */
  public List<Outbound> takeDoneAnswers() {
    if (doneAnswers.isEmpty()) {
      return List.of();
    }
    List<Outbound> out = List.copyOf(doneAnswers);
    doneAnswers.clear();
    return out;
  }

  private InstallSnapshotResponse answer(InstallSnapshot c, long nextOffset, boolean done) {
    return new InstallSnapshotResponse(groupId, protocol.self(), protocol.term(),
        c.snapshotIndex(), nextOffset, done);
  }

  /** Discards a half-received snapshot (at shutdown). */
  public void abort() {
    if (receiver != null) {
      receiver.abort();
      receiver = null;
    }
  }
}
