package io.raftdb.core.runtime;

import io.raftdb.NodeId;
import io.raftdb.Role;
import io.raftdb.core.protocol.Outbound;
import io.raftdb.core.protocol.RaftProtocol;
import io.raftdb.core.protocol.SnapshotRequest;
import io.raftdb.message.InstallSnapshot;
import io.raftdb.message.InstallSnapshotResponse;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotStorage;
import io.raftdb.storage.StorageException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of InstallSnapshot (thesis §5.3): streams the newest snapshot to each
 * follower that needs it, one chunk at a time. The next chunk goes out when the follower
 * acknowledges the previous one, from the offset the follower asks for, so a lost chunk or answer
 * costs one resend, never a restart. A transfer that makes no progress for a few election
 * timeouts is given up and reported to the protocol, which retries later; all transfers stop
 * when this node stops leading. A snapshot the store has pruned for newer ones restarts its
 * transfer with the newest.
 *
 * <p>Time is whatever clock the caller passes as {@code now} (the runtime's nanoseconds, the
 * simulator's virtual ticks), in the unit of {@code silence}. Used by one thread, the node's
 * event loop, between {@link RaftProtocol#advance} and the next {@link RaftProtocol#ready}.
 */
public final class SnapshotShipper {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotShipper.class);
  /** Resends of an unanswered chunk before a transfer is given up. */
  public static final int MAX_RESENDS = 3;

  private final RaftProtocol protocol;
  private final SnapshotStorage snapshots;
  private final Consumer<Outbound> wire;
  private final long groupId;
  private final int chunkBytes;
  private final long silence;
  /** In insertion order, so that resends go out in the same order in every run. */
  private final Map<NodeId, Transfer> transfers = new LinkedHashMap<>();
  private long transfersStarted;
  private long chunksSent;
  private long transfersAbandoned;

  private static final class Transfer {
    SnapshotInfo snapshot;
    final long term;
    long offset;
    long lastSent;
    int resends;

    Transfer(SnapshotInfo snapshot, long term) {
      this.snapshot = snapshot;
      this.term = term;
    }
  }

  /**
   * @param protocol the node's protocol, told when a transfer is given up
   * @param snapshots where the snapshots to ship are stored (may be {@code null}: nothing to ship)
   * @param wire sends a message
   * @param groupId the group the messages belong to
   * @param chunkBytes the most snapshot bytes per message
   * @param silence how long a transfer may go unanswered before a resend
   */
  public SnapshotShipper(RaftProtocol protocol, SnapshotStorage snapshots,
      Consumer<Outbound> wire, long groupId, int chunkBytes, long silence) {
    this.protocol = protocol;
    this.snapshots = snapshots;
    this.wire = wire;
    this.groupId = groupId;
    this.chunkBytes = chunkBytes;
    this.silence = silence;
  }

  /** Starts (or restarts) a transfer for each request. */
  public void start(List<SnapshotRequest> requests, long now) {
    for (SnapshotRequest r : requests) {
      Optional<SnapshotInfo> latest = snapshots == null ? Optional.empty() : snapshots.latest();
      if (latest.isEmpty()) {
        LOG.warn("node {}: {} needs a snapshot but none is stored", protocol.self(), r.to());
        transfersAbandoned++;
        protocol.snapshotSendFailed(r.to());
        continue;
      }
      Transfer t = new Transfer(latest.get(), protocol.term());
      transfers.put(r.to(), t);
      transfersStarted++;
      LOG.info("node {} sends snapshot {}@{} ({} bytes) to {}", protocol.self(),
          t.snapshot.index(), t.snapshot.term(), t.snapshot.sizeBytes(), r.to());
      if (!send(r.to(), t, now)) {
        transfers.remove(r.to());
      }
    }
  }

  /** A follower answered a chunk (after the protocol has seen the answer). */
  public void onResponse(InstallSnapshotResponse r, long now) {
    Transfer t = transfers.get(r.from());
    if (t == null || r.term() != t.term || r.snapshotIndex() != t.snapshot.index()) {
      return;
    }
    if (r.done()) {
      transfers.remove(r.from());
      return;
    }
    t.offset = Math.min(r.nextOffset(), t.snapshot.sizeBytes());
    t.resends = 0;
    if (!send(r.from(), t, now)) {
      transfers.remove(r.from());
    }
  }

  /** Drops transfers of a past leadership and resends or abandons silent ones. */
  public void checkProgress(long now) {
    if (transfers.isEmpty()) {
      return;
    }
    boolean leading = protocol.role() == Role.LEADER;
    for (Iterator<Map.Entry<NodeId, Transfer>> it = transfers.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<NodeId, Transfer> e = it.next();
      Transfer t = e.getValue();
      if (!leading || t.term != protocol.term()) {
        it.remove();
      } else if (now - t.lastSent > silence) {
        if (++t.resends > MAX_RESENDS) {
          it.remove();
          transfersAbandoned++;
          LOG.info("node {}: {} stopped answering snapshot chunks; will retry", protocol.self(),
              e.getKey());
          protocol.snapshotSendFailed(e.getKey());
        } else if (!send(e.getKey(), t, now)) {
          it.remove();
        }
      }
    }
  }

  /**
   * Sends the transfer's next chunk; false if the transfer had to be given up. A snapshot the
   * store has since replaced by newer ones (it keeps only a few) restarts the transfer with the
   * newest.
   */
  private boolean send(NodeId to, Transfer t, long now) {
    byte[] chunk = readChunk(to, t);
    if (chunk == null) {
      transfersAbandoned++;
      protocol.snapshotSendFailed(to);
      return false;
    }
    boolean done = t.offset + chunk.length >= t.snapshot.sizeBytes();
    wire.accept(new Outbound(to, new InstallSnapshot(groupId, protocol.self(), t.term,
        t.snapshot.index(), t.snapshot.term(), t.offset, chunk, done)));
    chunksSent++;
    t.lastSent = now;
    return true;
  }

  /** How many transfers were started. */
  public long transfersStarted() {
    return transfersStarted;
  }

  /** How many chunks were sent, resends included. */
  public long chunksSent() {
    return chunksSent;
  }

  /** How many transfers were given up (and left to the protocol to retry). */
  public long transfersAbandoned() {
    return transfersAbandoned;
  }

  /** The transfer's next chunk, switching to the newest snapshot if its own was deleted. */
  private byte[] readChunk(NodeId to, Transfer t) {
    try {
      return snapshots.read(t.snapshot, t.offset, chunkBytes);
    } catch (StorageException e) {
      Optional<SnapshotInfo> latest = snapshots.latest();
      if (latest.isEmpty() || latest.get().index() <= t.snapshot.index()) {
        LOG.warn("node {}: reading snapshot {} for {} failed; will retry", protocol.self(),
            t.snapshot.index(), to, e);
        return null;
      }
      LOG.info("node {}: snapshot {} was replaced by {}; restarting the transfer to {}",
          protocol.self(), t.snapshot.index(), latest.get().index(), to);
      t.snapshot = latest.get();
      t.offset = 0;
    }
    try {
      return snapshots.read(t.snapshot, 0, chunkBytes);
    } catch (StorageException e) {
      LOG.warn("node {}: reading snapshot {} for {} failed; will retry", protocol.self(),
          t.snapshot.index(), to, e);
      return null;
    }
  }
}
