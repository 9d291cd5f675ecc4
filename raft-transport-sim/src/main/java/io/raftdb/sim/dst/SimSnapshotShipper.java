package io.raftdb.sim.dst;

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

/**
 * The leader's side of InstallSnapshot in the simulator, a close copy of the runtime's
 * {@code SnapshotShipper}: streams the newest snapshot to each follower that needs it, one chunk
 * at a time; the next chunk goes out when the follower acknowledges the previous one, from the
 * offset the follower asks for. A transfer silent for an election timeout is resent from its
 * last offset, and after {@value #MAX_RESENDS} silent resends it is given up and reported to the
 * protocol ({@link RaftProtocol#snapshotSendFailed}); all transfers stop when the node stops
 * leading or its term changes. A snapshot the store has dropped for newer ones restarts its
 * transfer with the newest. Time is the node's own tick count, so a skewed clock waits longer or
 * shorter, as a real one would.
 */
final class SimSnapshotShipper {
  static final int MAX_RESENDS = 3;

  private final RaftProtocol protocol;
  private final SnapshotStorage snapshots;
  private final Consumer<Outbound> wire;
  private final int chunkBytes;
  private final long silenceTicks;
  private final SnapshotCounters counters;
  /** In insertion order, so that resends go out in the same order in every run of a seed. */
  private final Map<NodeId, Transfer> transfers = new LinkedHashMap<>();

  private static final class Transfer {
    SnapshotInfo snapshot;
    final long term;
    long offset;
    long lastSentTick;
    int resends;

    Transfer(SnapshotInfo snapshot, long term) {
      this.snapshot = snapshot;
      this.term = term;
    }
  }

  SimSnapshotShipper(RaftProtocol protocol, SnapshotStorage snapshots, Consumer<Outbound> wire,
      int chunkBytes, long silenceTicks, SnapshotCounters counters) {
    this.protocol = protocol;
    this.snapshots = snapshots;
    this.wire = wire;
    this.chunkBytes = chunkBytes;
    this.silenceTicks = silenceTicks;
    this.counters = counters;
  }

  /** Starts (or restarts) a transfer for each request. */
  void start(List<SnapshotRequest> requests, long now) {
    for (SnapshotRequest r : requests) {
      Optional<SnapshotInfo> latest = snapshots.latest();
      if (latest.isEmpty()) {
        counters.abandoned++;
        protocol.snapshotSendFailed(r.to()); // nothing to ship: the protocol probes again
        continue;
      }
      Transfer t = new Transfer(latest.get(), protocol.term());
      transfers.put(r.to(), t);
      counters.transfers++;
      if (!send(r.to(), t, now)) {
        transfers.remove(r.to());
      }
    }
  }

  /** A follower answered a chunk (after the protocol has seen the answer). */
  void onResponse(InstallSnapshotResponse r, long now) {
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
  void checkProgress(long now) {
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
      } else if (now - t.lastSentTick > silenceTicks) {
        if (++t.resends > MAX_RESENDS) {
          it.remove();
          counters.abandoned++;
          protocol.snapshotSendFailed(e.getKey());
        } else if (!send(e.getKey(), t, now)) {
          it.remove();
        }
      }
    }
  }

  /** Sends the transfer's next chunk; false if the transfer had to be given up. */
  private boolean send(NodeId to, Transfer t, long now) {
    byte[] chunk = readChunk(t);
    if (chunk == null) {
      counters.abandoned++;
      protocol.snapshotSendFailed(to);
      return false;
    }
    boolean done = t.offset + chunk.length >= t.snapshot.sizeBytes();
    wire.accept(new Outbound(to, new InstallSnapshot(0, protocol.self(), t.term,
        t.snapshot.index(), t.snapshot.term(), t.offset, chunk, done)));
    counters.chunks++;
    t.lastSentTick = now;
    return true;
  }

  /** The transfer's next chunk, switching to the newest snapshot if its own was dropped. */
  private byte[] readChunk(Transfer t) {
    try {
      return snapshots.read(t.snapshot, t.offset, chunkBytes);
    } catch (StorageException e) {
      Optional<SnapshotInfo> latest = snapshots.latest();
      if (latest.isEmpty() || latest.get().index() <= t.snapshot.index()) {
        return null;
      }
      t.snapshot = latest.get();
      t.offset = 0;
    }
    try {
      return snapshots.read(t.snapshot, 0, chunkBytes);
    } catch (StorageException e) {
      return null;
    }
  }
}
