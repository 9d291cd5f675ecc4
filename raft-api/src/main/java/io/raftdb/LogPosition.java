package io.raftdb;

/**
 * A place in the replicated log: an index and the term of the entry there. Two entries with
 * the same position hold the same command on every node (Log Matching, thesis §3.5).
 */
public record LogPosition(long index, long term) {
  /** Validates that index and term are not negative. */
  public LogPosition {
    if (index < 0 || term < 0) {
      throw new IllegalArgumentException("negative index or term: " + index + "/" + term);
    }
  }
}
