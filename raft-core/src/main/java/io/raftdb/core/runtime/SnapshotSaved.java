package io.raftdb.core.runtime;

import io.raftdb.storage.SnapshotInfo;

/** The apply side tells the event loop that a snapshot of this node is durable. */
record SnapshotSaved(SnapshotInfo snapshot) {}
