package io.raftdb.sim.scenario;

import io.raftdb.storage.LogStorage;
import io.raftdb.storage.MetaStorage;
import io.raftdb.storage.SnapshotStorage;

/** The log, hard-state and snapshot stores one node incarnation is built with. */
record NodeStores(LogStorage log, MetaStorage meta, SnapshotStorage snapshots) {}
