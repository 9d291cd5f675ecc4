package io.raftdb.sim.dst;

import io.raftdb.core.protocol.Outbound;
import java.util.SplittableRandom;

/** What a {@link SimNode} needs from the simulation around it. */
interface NodeHost {
  /** The agenda, and with it the virtual clock. */
  EventQueue events();

  /** The run's one random source. */
  SplittableRandom random();

  /** The stream of the faults added later (see {@link FaultPlan#laterFaultsRandom}). */
  SplittableRandom laterFaultsRandom();

  /** The fault intensities now in force. */
  FaultPlan plan();

  /** The checkers to report to. */
  Invariants invariants();

  /** What the nodes' snapshot machinery did, counted for the report. */
  SnapshotCounters snapshotCounters();

  /** Puts a message from node index {@code from} on the wire. */
  void send(int from, Outbound message);

  /** The node crashed on its own (a crash point inside its persistence); arrange its restart. */
  void crashedItself(SimNode node);

  /**
   * The node crashed right after acknowledging its leader; arrange a quick restart, within an
   * election timeout, while the leader still counts on that acknowledgement.
   */
  void crashedAfterAck(SimNode node);

  /** Whether some node other than {@code node} is running for leader (pre-vote or vote). */
  boolean othersCampaign(SimNode node);
}
