package io.raftdb.sim.dst;

import io.raftdb.LogPosition;
import java.util.HashMap;
import java.util.Map;

/**
 * Log Matching (thesis §3.5), checked over time rather than pairwise: the first time any node
 * writes an entry at a given (index, term), the hash of its whole log up to that entry is
 * remembered; any later write of that (index, term), by any node, must come with the same hash.
 * Only the leader of a term creates entries of that term, each index once, so two entries with
 * one position must follow identical logs whenever and wherever they are written. This compares
 * every pair of nodes at every shared position, at O(1) per written entry.
 */
final class LogMatching {
  private record FirstWrite(long prefixHash, String node) {}

  private final Map<LogPosition, FirstWrite> seen = new HashMap<>();

  /** {@code node} wrote the entry at {@code (index, term)}, its log hashing to {@code prefix}. */
  void written(String node, long index, long term, long prefix) {
    FirstWrite first = seen.putIfAbsent(new LogPosition(index, term), new FirstWrite(prefix, node));
    if (first != null && first.prefixHash != prefix) {
      throw new InvariantViolation(InvariantFamily.LOG_MATCHING, node + " holds an entry at index "
          + index + " term " + term + " whose log up to it differs from the one " + first.node
          + " wrote there (content or an earlier entry differs)", first.node, node);
    }
  }
}
