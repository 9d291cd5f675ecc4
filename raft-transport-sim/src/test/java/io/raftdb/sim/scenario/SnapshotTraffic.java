package io.raftdb.sim.scenario;

import io.raftdb.NodeId;
import io.raftdb.message.InstallSnapshot;
import io.raftdb.message.InstallSnapshotResponse;
import io.raftdb.message.RaftMessage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TappedTransport.Tap} that watches InstallSnapshot traffic: the chunks leaders send,
 * how many distinct chunks each snapshot took, and the transfers followers completed (their
 * "done" answers). It can also lose chosen messages once each, so that a scenario knows a chunk
 * or an answer was lost rather than hoping the network's random losses hit one.
 *
 * <p>Thread-safe: nodes send from their own threads.
 */
final class SnapshotTraffic implements TappedTransport.Tap {
  /** A chunk as the wire names it: which leader, which snapshot, where in it. */
  private record Chunk(NodeId from, long snapshotIndex, long snapshotTerm, long offset) {}

  private final AtomicLong chunksSent = new AtomicLong();
  private final Set<Chunk> distinctChunks = ConcurrentHashMap.newKeySet();
  private final Map<NodeId, AtomicLong> installsCompleted = new ConcurrentHashMap<>();
  private final Set<Long> chunkOffsetsToLose = ConcurrentHashMap.newKeySet();
  private final Set<Long> answerOffsetsToLose = ConcurrentHashMap.newKeySet();
  private final AtomicLong lostOnPurpose = new AtomicLong();

  /** Loses the first chunk sent (by any leader) that starts at {@code offset}. */
  void loseFirstChunkAt(long offset) {
    chunkOffsetsToLose.add(offset);
  }

  /** Loses the first follower answer (not "done") that asks for the chunk at {@code offset}. */
  void loseFirstAnswerAskingFor(long offset) {
    answerOffsetsToLose.add(offset);
  }

  @Override
  public boolean pass(NodeId from, NodeId to, RaftMessage message) {
    if (message instanceof InstallSnapshot c) {
      chunksSent.incrementAndGet();
      distinctChunks.add(new Chunk(from, c.snapshotIndex(), c.snapshotTerm(), c.offset()));
      return !lose(chunkOffsetsToLose, c.offset());
    }
    if (message instanceof InstallSnapshotResponse r) {
      if (r.done()) {
        installsCompleted.computeIfAbsent(from, k -> new AtomicLong()).incrementAndGet();
        return true;
      }
      return !lose(answerOffsetsToLose, r.nextOffset());
    }
    return true;
  }

  private boolean lose(Set<Long> planned, long offset) {
    if (planned.remove(offset)) {
      lostOnPurpose.incrementAndGet();
      return true;
    }
    return false;
  }

  /** InstallSnapshot messages sent, resends included (lost ones too). */
  long chunksSent() {
    return chunksSent.get();
  }

  /** Distinct chunks sent: the same chunk of the same snapshot from the same leader counts once. */
  long distinctChunks() {
    return distinctChunks.size();
  }

  /** The most distinct chunks any one snapshot was sent in. */
  long mostChunksInOneSnapshot() {
    Map<Chunk, Long> perSnapshot = new ConcurrentHashMap<>();
    for (Chunk c : distinctChunks) {
      perSnapshot.merge(new Chunk(c.from(), c.snapshotIndex(), c.snapshotTerm(), 0), 1L,
          Long::sum);
    }
    return perSnapshot.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** Snapshot transfers {@code follower} completed (its "done" answers). */
  long installsCompletedBy(NodeId follower) {
    AtomicLong n = installsCompleted.get(follower);
    return n == null ? 0 : n.get();
  }

  /** Snapshot transfers all followers completed. */
  long installsCompleted() {
    return installsCompleted.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Messages lost as planned by {@link #loseFirstChunkAt} and {@link #loseFirstAnswerAskingFor}. */
  long lostOnPurpose() {
    return lostOnPurpose.get();
  }

  @Override
  public String toString() {
    return chunksSent() + " chunks sent (" + distinctChunks() + " distinct, at most "
        + mostChunksInOneSnapshot() + " per snapshot), " + installsCompleted()
        + " installs completed, " + lostOnPurpose() + " lost on purpose";
  }
}
