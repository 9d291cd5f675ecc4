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
 * <p>A transfer that cannot read its snapshot (the file is unreadable, none is stored) is
 * abandoned, and the follower waits before the protocol hears of it: reporting at once would
 * make the protocol probe and ask for the snapshot again at once, and the node would spin on
 * the failing read. The wait starts at {@code silence} and doubles with each failure in a row,
 * up to 16 times {@code silence}; a chunk read that succeeds resets it. Warnings are logged
 * at the 1st, 2nd, 4th, 8th... failure in a row.
 *
 * <p>Time is whatever clock the caller passes as {@code now} (the runtime's nanoseconds, the
 * simulator's virtual ticks), in the unit of {@code silence}. Used by one thread, the node's
 * event loop, between {@link RaftProtocol#advance} and the next {@link RaftProtocol#ready}.
 */
public final class SnapshotShipper {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotShipper.class);
  /** Resends of an unanswered chunk before a transfer is given up. */
  public static final int MAX_RESENDS = 3;
  /** How often the wait after failed reads doubles: at most 16 times {@code silence}. */
  static final int MAX_BACKOFF_DOUBLINGS = 4;

  private final RaftProtocol protocol;
  private final SnapshotStorage snapshots;
  private final Consumer<Outbound> wire;
  private final long groupId;
  private final int chunkBytes;
  private final long silence;
  /** In insertion order, so that resends go out in the same order in every run. */
  private final Map<NodeId, Transfer> transfers = new LinkedHashMap<>();
  /** Followers whose transfer failed to read, until they are reported; insertion order too. */
  private final Map<NodeId, Backoff> backoffs = new LinkedHashMap<>();
  /** Failed reads in a row per follower; cleared by a successful read. */
  private final Map<NodeId, Integer> failuresInARow = new LinkedHashMap<>();
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

  /** A follower whose failed transfer is reported to the protocol at {@code reportAt}. */
  private record Backoff(long term, long reportAt) {}

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
      Backoff waiting = backoffs.get(r.to());
      if (waiting != null && waiting.term() == protocol.term()) {
        continue; // already abandoned; the protocol hears of it when the wait is over
      }
      backoffs.remove(r.to());
      Optional<SnapshotInfo> latest = snapshots == null ? Optional.empty() : snapshots.latest();
      if (latest.isEmpty()) {
        abandonAfterFailure(r.to(), now, "it needs a snapshot but none is stored", null);
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
    if (protocol.role() != Role.LEADER || protocol.term() != t.term) {
      // A transfer of a past leadership, not yet dropped by checkProgress (queued answers run
      // before the ticks after a stall): its chunks would carry a stale term, and the snapshot
      // it falls back to may be newer than that term.
      transfers.remove(r.from());
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

  /**
   * Drops transfers of a past leadership, resends or abandons silent ones, and reports failed
   * ones whose wait is over.
   */
  public void checkProgress(long now) {
    if (!backoffs.isEmpty()) {
      reportWaitedFailures(now);
    }
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
    byte[] chunk;
    try {
      chunk = readChunk(to, t);
    } catch (StorageException e) {
      abandonAfterFailure(to, now, "reading snapshot " + t.snapshot.index() + " failed", e);
      return false;
    }
    failuresInARow.remove(to);
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

  /**
   * The transfer's next chunk, switching to the newest snapshot if its own was deleted.
   *
   * @throws StorageException if the chunk cannot be read
   */
  private byte[] readChunk(NodeId to, Transfer t) {
    try {
      return snapshots.read(t.snapshot, t.offset, chunkBytes);
    } catch (StorageException e) {
      Optional<SnapshotInfo> latest = snapshots.latest();
      if (latest.isEmpty() || latest.get().index() <= t.snapshot.index()) {
        throw e;
      }
      LOG.info("node {}: snapshot {} was replaced by {}; restarting the transfer to {}",
          protocol.self(), t.snapshot.index(), latest.get().index(), to);
      t.snapshot = latest.get();
      t.offset = 0;
    }
    return snapshots.read(t.snapshot, 0, chunkBytes);
  }

  /**
   * Gives up a transfer that could not read its snapshot; the protocol hears of it once the
   * follower's wait is over (see the class comment).
   */
  private void abandonAfterFailure(NodeId to, long now, String what, StorageException cause) {
    transfersAbandoned++;
    int failures = failuresInARow.merge(to, 1, Integer::sum);
    long wait = silence << Math.min(failures - 1, MAX_BACKOFF_DOUBLINGS);
    backoffs.put(to, new Backoff(protocol.term(), now + wait));
    if (Integer.bitCount(failures) == 1) {
      LOG.warn("node {}: cannot ship a snapshot to {}: {} ({} failures in a row); will retry"
          + " after a wait", protocol.self(), to, what, failures, cause);
    }
  }

  /** Reports to the protocol the failed transfers whose wait is over. */
  private void reportWaitedFailures(long now) {
    boolean leading = protocol.role() == Role.LEADER;
    for (Iterator<Map.Entry<NodeId, Backoff>> it = backoffs.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<NodeId, Backoff> e = it.next();
      Backoff b = e.getValue();
      if (!leading || b.term() != protocol.term()) {
        it.remove(); // a new leadership starts afresh
        failuresInARow.remove(e.getKey());
      } else if (now - b.reportAt() >= 0) {
        it.remove();
        protocol.snapshotSendFailed(e.getKey());
      }
    }
  }
}
