package io.raftdb.core.runtime;

import io.raftdb.storage.SnapshotInfo;

/** The event loop tells the apply thread to load an installed snapshot before what follows. */
record RestoreSnapshot(SnapshotInfo snapshot) {}
