package io.raftdb.core.storage.snapshot;

import io.raftdb.storage.SnapshotInfo;

/**
 * Where the parts of one verified stored snapshot lie: what it covers, and the byte range of the
 * state machine's part (the rest is header before it and checksum after it).
 *
 * @param info what the snapshot covers; its size is the whole stored snapshot
 * @param stateOffset the first byte of the state
 * @param stateLength the number of state bytes
 */
record SnapshotLayout(SnapshotInfo info, long stateOffset, long stateLength) {}
