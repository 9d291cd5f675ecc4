package io.raftdb.core.protocol;

import io.raftdb.NodeId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Linearizable reads served by followers (thesis §6.4): on a follower, the reads it asked the
 * leader to index; on the leader, the followers' reads it is confirming, under negative ids so
 * that they share the {@link ReadIndexTracker} with its own reads.
 */
final class ForwardedReads {
  /** The most followers' reads a leader confirms at once; past it, it refuses more. */
  static final int MAX_ACCEPTED = 1 << 16;

  private record Sent(NodeId to, long atTick) {}

  /** Where a follower's read came from, as the leader knows it. */
  record Origin(NodeId from, long requestId) {}

  private final LinkedHashMap<Long, Sent> sent = new LinkedHashMap<>();
  private final Map<Long, Origin> accepted = new HashMap<>();
  private long lastAcceptedId;

  /** A follower asked {@code leader} to index its read {@code requestId} at tick {@code now}. */
  void forward(long requestId, NodeId leader, long now) {
    sent.put(requestId, new Sent(leader, now));
  }

  /** Whether the answer from {@code from} is to a read still waiting for it (then forgotten). */
  boolean answered(long requestId, NodeId from) {
    Sent s = sent.get(requestId);
    if (s == null || !s.to().equals(from)) {
      return false;
    }
    sent.remove(requestId);
    return true;
  }

  /** Every waiting read goes to {@code dropped}: the term or the leader changed. */
  void dropSent(List<Long> dropped) {
    dropped.addAll(sent.keySet());
    sent.clear();
  }

  /** The reads sent at or before {@code tick} go to {@code dropped}: their answer is overdue. */
  void dropSentBefore(long tick, List<Long> dropped) {
    for (Iterator<Map.Entry<Long, Sent>> it = sent.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Sent> e = it.next();
      if (e.getValue().atTick() > tick) {
        return; // in sending order, so the rest are younger
      }
      dropped.add(e.getKey());
      it.remove();
    }
  }

  /**
   * The leader takes a follower's read: returns the negative id to track it by, or 0 if too many
   * are waiting (refuse it).
   */
  long accept(NodeId from, long requestId) {
    if (accepted.size() >= MAX_ACCEPTED) {
      return 0;
    }
    long id = --lastAcceptedId;
    accepted.put(id, new Origin(from, requestId));
    return id;
  }

  /** Whether the leader is confirming followers' reads. */
  boolean hasAccepted() {
    return !accepted.isEmpty();
  }

  /** The origin of a follower's read the leader has confirmed or dropped, or {@code null}. */
  Origin takeAccepted(long id) {
    return id < 0 ? accepted.remove(id) : null;
  }
}
