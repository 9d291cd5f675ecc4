package io.raftdb.core.protocol;

import io.raftdb.NodeId;

/**
 * The leader needs to ship its newest snapshot to a follower whose next entries it no longer
 * holds (thesis §5.3). The runtime streams it and reports back: the follower's final
 * {@code InstallSnapshotResponse} goes to {@link RaftProtocol#step}, a transfer that stalls to
 * {@link RaftProtocol#snapshotSendFailed}.
 *
 * @param to the follower
 * @param index the last index the snapshot covers
 * @param term the term of that entry
 */
public record SnapshotRequest(NodeId to, long index, long term) {}
