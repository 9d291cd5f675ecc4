package io.raftdb.sim.scenario;

import io.raftdb.storage.LogStorage;
import io.raftdb.storage.MetaStorage;

/** The log and hard-state stores one node incarnation is built with. */
record NodeStores(LogStorage log, MetaStorage meta) {}
