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
 * <p>A snapshot may hold at most {@code maxSnapshotBytes} (by default
 * {@value #DEFAULT_MAX_SNAPSHOT_BYTES} bytes, 64 GiB), so that a leader gone wrong, or a forged
 * peer, cannot fill the disk. A chunk that would go past the bound is refused and the partial
 * transfer discarded; later chunks of that snapshot are ignored without an answer, so that the
 * leader gives the transfer up after its resends instead of starting it over at once. A chunk
 * with a negative offset, or whose end overflows, is refused the same way (no leader sends one),
 * without refusing its snapshot for good. None of this stops the node.
 *
 * <p>Used by one thread, the node's event loop, between {@link RaftProtocol#advance} and the
 * next {@link RaftProtocol#ready}.
 */
public final class SnapshotInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotInstaller.class);
  /** The default bound on the size of a received snapshot: 64 GiB. */
  public static final long DEFAULT_MAX_SNAPSHOT_BYTES = 64L << 30;

  private final RaftProtocol protocol;
  private final SnapshotStorage snapshots;
  private final long groupId;
  private final Consumer<SnapshotInfo> onReceived;
  private final long maxSnapshotBytes;
  private SnapshotReceiver receiver;
  /** The snapshot refused as too large, whose further chunks are ignored; or {@code null}. */
  private RefusedSnapshot refused;
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
    this(protocol, snapshots, groupId, onReceived, DEFAULT_MAX_SNAPSHOT_BYTES);
  }

  /**
   * An installer that refuses snapshots of more than {@code maxSnapshotBytes}.
   *
   * @throws IllegalArgumentException if {@code maxSnapshotBytes} is not positive
   */
  public SnapshotInstaller(RaftProtocol protocol, SnapshotStorage snapshots, long groupId,
      Consumer<SnapshotInfo> onReceived, long maxSnapshotBytes) {
    if (maxSnapshotBytes <= 0) {
      throw new IllegalArgumentException("maxSnapshotBytes must be positive, got "
          + maxSnapshotBytes);
    }
    this.protocol = protocol;
    this.snapshots = snapshots;
    this.groupId = groupId;
    this.onReceived = onReceived;
    this.maxSnapshotBytes = maxSnapshotBytes;
  }

  private record RefusedSnapshot(long index, long term) {}

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
    if (refused != null) {
      if (refused.index() == c.snapshotIndex() && refused.term() == c.snapshotTerm()) {
        return null;
      }
      refused = null; // the leader moved on to another snapshot
    }
    if (c.offset() < 0 || c.offset() > Long.MAX_VALUE - c.data().length) {
      LOG.warn("node {}: {} sent a chunk of snapshot {}@{} at offset {} with {} bytes, which no"
          + " snapshot has; refused, and the transfer is discarded", protocol.self(), c.from(),
          c.snapshotIndex(), c.snapshotTerm(), c.offset(), c.data().length);
      abort();
      return null;
    }
    if (c.offset() + c.data().length > maxSnapshotBytes) {
      LOG.warn("node {}: snapshot {}@{} from {} exceeds the {} bytes a snapshot may hold here"
          + " (a chunk at offset {} with {} bytes); refused, and the transfer is discarded",
          protocol.self(), c.snapshotIndex(), c.snapshotTerm(), c.from(), maxSnapshotBytes,
          c.offset(), c.data().length);
      abort();
      refused = new RefusedSnapshot(c.snapshotIndex(), c.snapshotTerm());
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
      if (protocol.installSnapshot(installed.index(), installed.term(),
          installed.membership())) {
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
