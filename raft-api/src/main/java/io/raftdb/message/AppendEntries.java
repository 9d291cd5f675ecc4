package io.raftdb.message;

import io.raftdb.NodeId;
import java.util.List;
import java.util.Objects;

/**
 * The leader replicates entries, or (with no entries) asserts its leadership as a heartbeat
 * (thesis §3.5).
 *
 * @param prevLogIndex index of the entry just before {@code entries}
 * @param prevLogTerm term of that entry; the follower accepts only if it has it (Log Matching)
 * @param leaderCommit the leader's commit index
 * @param round a number the leader raises for every message it sends; the follower echoes it so
 *     that the leader knows which of its messages a quorum has seen (used by ReadIndex and the
 *     lease)
 * @param entries consecutive entries starting at {@code prevLogIndex + 1}; may be empty
 */
public record AppendEntries(long groupId, NodeId from, long term, long prevLogIndex,
    long prevLogTerm, long leaderCommit, long round, List<LogEntry> entries)
    implements RaftMessage {
  /** Validates the fields and freezes the entry list. */
  public AppendEntries {
    Objects.requireNonNull(from, "from");
    entries = List.copyOf(entries);
  }

  /** The index of the last entry carried, or {@code prevLogIndex} for a heartbeat. */
  public long lastIndex() {
    return prevLogIndex + entries.size();
  }
}
