/**
 * Deterministic simulation testing of the Raft protocol: several
 * {@link io.raftdb.core.protocol.RaftProtocol} instances driven in one thread on virtual time,
 * every source of nondeterminism (message delay, loss, duplication and reordering, partitions and
 * cut links, crashes and restarts, quick ones included, clock skew, slow disks, stalled event
 * loops, client timing and quiet spells) drawn from one seed.
 *
 * <p>A node's loop is held up while it syncs or stalls (a GC pause), and then behaves as the
 * runtime's event loop does: queued inputs first, then at most three of the ticks it missed. Its
 * protocol times the leader lease on the node's own monotonic clock ({@code NodeClock}), which
 * runs at the node's skewed rate; the configured clock drift bound covers the skew, so lease
 * reads are checked on skewed seeds too (all but skew 0.5). The faults added after the first
 * menu (stalls, quick restarts, crashes right after an acknowledgement, cut links, quiet spells)
 * draw from a random stream of their own.
 *
 * <p>How it fits together: a {@link io.raftdb.sim.dst.Simulation} owns the agenda
 * ({@code EventQueue}), the wire ({@code VirtualNetwork}, which encodes and decodes every message
 * with the real codec), the nodes ({@code SimNode}, which follows the protocol's {@code Ready}
 * contract, with a {@code SimDisk} that loses what was not synced on a crash), the clients
 * ({@code Workload}), the faults ({@code FaultPlan} drawn from the seed, {@code FaultSchedule}
 * acting on it) and the checkers ({@code Invariants}, one small class per property, checked after
 * every event). After the fault phase everything heals and {@code LivenessCheck} demands a leader
 * and a committed command within a bound. {@code BrokenVariant} breaks a disk, the network, the
 * node's runtime or its state machine on purpose, to show the checkers catch what they claim to.
 *
 * <h2>Snapshots and log compaction</h2>
 *
 * <p>In four seeds of five (or always, or never: {@link io.raftdb.sim.dst.SnapshotMode}) the
 * nodes take snapshots, drawn from the seed as a {@code SnapshotPlan}: every K applied entries
 * (K from 3 to 50), a state of up to 7 KB shipped in 1 KB chunks, a store that keeps the newest
 * one to three. The plan comes from a random stream of its own, so a run with snapshots off makes
 * exactly the choices it made before snapshots existed. The node does what the runtime
 * ({@code io.raftdb.core.runtime}) does, in the order {@code Ready} prescribes:
 * <ul>
 *   <li>{@code SimSnapshotTaker} (the runtime's {@code SnapshotTaker}): after an applied batch,
 *       if K entries were applied since the last snapshot and none is being written, the state
 *       machine ({@code RunningHash}) captures its value at once; the write completes at a later
 *       virtual time (slower on a slow disk) while the node goes on applying. Once published
 *       (durable in the {@code MemorySnapshotStorage}, the file store's bytes) the node hears of
 *       it as an input, tells the protocol ({@code snapshotSaved}) and compacts its log through
 *       it. A crash before publication loses the snapshot.
 *   <li>the runtime's {@code SnapshotShipper}, on virtual ticks: a leader streams the
 *       newest snapshot to each follower the protocol names, one chunk per acknowledgement, from
 *       the offset the follower asks for; silent transfers are resent after an election timeout
 *       of the node's own ticks and given up after three resends
 *       ({@code snapshotSendFailed}); a snapshot the store dropped restarts with the newest.
 *       Chunks and answers are {@code InstallSnapshot} and {@code InstallSnapshotResponse}
 *       messages on the lossy, reordering, duplicating wire, through the codec.
 *   <li>the runtime's {@code SnapshotInstaller}: a follower stores
 *       the chunks after {@code advance}, resyncs on a gap, publishes and checks the complete
 *       snapshot and only then calls {@code installSnapshot}; it writes the log reset and
 *       restores the state machine as the next ready says, and sends "done" only when no ready
 *       is left, by which time the reset is durable.
 *   <li>{@code SimSnapshotStartup} (the runtime's {@code SnapshotStartup}): a restart loads the
 *       newest durable snapshot, resets a log that does not reach it, and replays the log after.
 * </ul>
 * The checks snapshots add: every snapshot taken, received, restored or restarted from covers a
 * committed entry and holds exactly the state every node had after its index
 * ({@code STATE_MACHINE_SAFETY}); a log that restarts after a snapshot continues the committed
 * log's hashes, so Log Matching and Leader Completeness still see whole logs; a node's applied
 * index never goes back and jumps only forward, to a restored snapshot
 * ({@code MONOTONIC_INDEXES}); compaction never drops an entry that no durable snapshot covers,
 * and a restarting node finds no gap between its snapshot and its log ({@code COMPACTION_SAFETY}).
 *
 * <p>Run it from JUnit (a fixed batch of seeds on every build) or from
 * {@link io.raftdb.sim.dst.SoakRunner} ({@code scripts/soak.sh}) for long soaks and to replay a
 * failing seed, which reproduces the run event for event.
 */
package io.raftdb.sim.dst;
