package io.raftdb.core.protocol;

import io.raftdb.LogPosition;
import io.raftdb.message.InstallSnapshot;
import io.raftdb.message.LogEntry;
import io.raftdb.storage.HardState;
import java.util.List;

/**
 * Everything the protocol asks of the world after a batch of inputs, in the style of etcd-raft's
 * {@code Ready}. The runtime acts on it in this order:
 * <ol>
 *   <li>send {@link #messages()} (they do not depend on anything unpersisted: the leader's
 *       AppendEntries may go out while its own disk write is in progress, thesis §10.2.1);
 *   <li>persist {@link #hardState()} (when not {@code null}); reset the log to
 *       {@link #logReset()} (when not {@code null}, after an installed snapshot); then
 *       {@link #entries()}: if the first entry's index is not past the log's last index, truncate
 *       the log from there first; then append. A reset or truncation waits for syncs in flight;
 *   <li>send {@link #messagesAfterPersist()} (votes and acknowledgements, which promise that
 *       something is durable) once a sync has covered this ready's writes and all before them,
 *       and in the order of the readies; then report that sync with
 *       {@link RaftProtocol#persisted}. The sync may run in line (then everything here happens
 *       before the next step) or on another thread while the loop goes on (group commit: one
 *       sync covers all that was written before it started);
 *   <li>start shipping the snapshots in {@link #snapshotsToSend()}; store the chunks in
 *       {@link #snapshotChunks()} (and once a snapshot is complete, durable and checked, hand it to
 *       {@link RaftProtocol#installSnapshot});
 *   <li>restore the state machine from {@link #snapshotToRestore()} (when not {@code null}), then
 *       apply {@link #committedEntries()} in order, and serve {@link #readStates()} once applied;
 *       fail the reads in {@link #droppedReads()};
 *   <li>call {@link RaftProtocol#advance(Ready)}.
 * </ol>
 *
 * @param hardState the term and vote to persist, or {@code null} if unchanged
 * @param entries entries to write to the log, consecutive
 * @param messages messages to send at once
 * @param messagesAfterPersist messages to send only once this batch is durable
 * @param committedEntries entries now committed and not yet handed out, in index order
 * @param readStates reads confirmed by the leader
 * @param droppedReads ids of reads that can no longer be confirmed (leadership lost)
 * @param logReset where the log must restart (discarding all of it), or {@code null}
 * @param snapshotToRestore the installed snapshot the state machine must load before applying
 *     more entries, or {@code null}
 * @param snapshotsToSend snapshots to ship to followers
 * @param snapshotChunks snapshot chunks received from the current leader, in arrival order
 * @param committedBytes the {@link LogEntry#sizeEstimate()}s of {@code committedEntries} added
 *     up: what they count against the budget of {@link RaftProtocol#limitHandOut}
 */
public record Ready(HardState hardState, List<LogEntry> entries, List<Outbound> messages,
    List<Outbound> messagesAfterPersist, List<LogEntry> committedEntries,
    List<ReadState> readStates, List<Long> droppedReads, LogPosition logReset,
    LogPosition snapshotToRestore, List<SnapshotRequest> snapshotsToSend,
    List<InstallSnapshot> snapshotChunks, long committedBytes) {

  /** Whether there is nothing to persist. */
  public boolean nothingToPersist() {
    return hardState == null && logReset == null && entries.isEmpty();
  }

  /** The last entry to write, or {@code null} if none. */
  public LogEntry lastEntry() {
    return entries.isEmpty() ? null : entries.get(entries.size() - 1);
  }
}
