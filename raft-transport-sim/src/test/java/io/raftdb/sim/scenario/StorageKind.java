package io.raftdb.sim.scenario;

import io.raftdb.NodeId;

/**
 * Which durable storage the scenario nodes use, so that the same scenarios (above all the 2C
 * persistence ones) run on every kind: {@link #MEMORY}, and Chronicle Queue files
 * ({@link ChronicleStorageKind}).
 *
 * <p>To run the 2C scenarios on another kind, implement this (its {@link NodeDisk} opens the
 * stores, keeps on a crash only what was durable at the crash instant, and deletes what it holds
 * on {@code close()}) and subclass
 * {@link PersistenceScenariosTest} overriding {@code storageKind()}; likewise
 * {@link SnapshotScenariosTest} for the 2D scenarios.
 */
interface StorageKind {

  /** The in-memory log and hard state, whose crash keeps exactly what was synced. */
  StorageKind MEMORY = new MemoryStorageKind();

  /** A short name for test reports. */
  String name();

  /** A new, empty disk for one node of one test. */
  NodeDisk newDisk(NodeId node);
}
