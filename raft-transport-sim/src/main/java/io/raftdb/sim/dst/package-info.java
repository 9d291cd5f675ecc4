/**
 * Deterministic simulation testing of the Raft protocol: several
 * {@link io.raftdb.core.protocol.RaftProtocol} instances driven in one thread on virtual time,
 * every source of nondeterminism (message delay, loss, duplication and reordering, partitions,
 * crashes and restarts, clock skew, slow disks, client timing) drawn from one seed.
 *
 * <p>How it fits together: a {@link io.raftdb.sim.dst.Simulation} owns the agenda
 * ({@code EventQueue}), the wire ({@code VirtualNetwork}, which encodes and decodes every message
 * with the real codec), the nodes ({@code SimNode}, which follows the protocol's {@code Ready}
 * contract, with a {@code SimDisk} that loses what was not synced on a crash), the clients
 * ({@code Workload}), the faults ({@code FaultPlan} drawn from the seed, {@code FaultSchedule}
 * acting on it) and the checkers ({@code Invariants}, one small class per property, checked after
 * every event). After the fault phase everything heals and {@code LivenessCheck} demands a leader
 * and a committed command within a bound. {@code BrokenVariant} breaks a disk or the network on
 * purpose, to show the checkers catch what they claim to.
 *
 * <p>Run it from JUnit (a fixed batch of seeds on every build) or from
 * {@link io.raftdb.sim.dst.SoakRunner} ({@code scripts/soak.sh}) for long soaks and to replay a
 * failing seed, which reproduces the run event for event.
 */
package io.raftdb.sim.dst;
