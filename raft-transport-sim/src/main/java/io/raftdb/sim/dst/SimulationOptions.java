package io.raftdb.sim.dst;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What one simulated run does. Everything not given here (fault intensities, timing, workload) is
 * drawn from the seed, so {@code (seed, nodes, steps, variant, leaseReads, snapshots)} names a run
 * exactly.
 *
 * @param seed the one seed every random choice of the run derives from
 * @param nodes the number of voting members, 1 to {@value #MAX_NODES}
 * @param steps how many events the fault phase lasts; then the faults heal and liveness is checked
 * @param variant a broken piece of the world, or {@link BrokenVariant#NONE}
 * @param leaseReads whether clients also issue {@code LEASE} reads (only on runs whose clock skew
 *     the configured clock drift bound can cover, because the lease is only as safe as the
 *     clocks; see {@link FaultPlan#clockDriftBound()})
 * @param snapshots whether nodes take snapshots and compact their logs (by default the seed
 *     decides; see {@link SnapshotPlan})
 * @param checks the invariant families to check; a test may switch one off to show that another
 *     one catches the same fault
 * @param membershipChanges whether an operator changes the membership during the fault phase:
 *     two more nodes start as joiners, and learners are added, promoted and removed, voters
 *     added and removed, several replaced at once (see {@link MembershipOperator})
 */
public record SimulationOptions(long seed, int nodes, int steps, BrokenVariant variant,
    boolean leaseReads, SnapshotMode snapshots, Set<InvariantFamily> checks,
    boolean membershipChanges) {
  /** The most nodes a run may have. */
  public static final int MAX_NODES = 15;
  /** The most fault-phase events a run may have. */
  public static final int MAX_STEPS = 50_000_000;
  /** The fault-phase length used when none is given. */
  public static final int DEFAULT_STEPS = 3_000;

  /** Validates the options and freezes the set of checks. */
  public SimulationOptions {
    if (nodes < 1 || nodes > MAX_NODES) {
      throw new IllegalArgumentException("nodes must be 1.." + MAX_NODES + ", got " + nodes);
    }
    if (steps < 0 || steps > MAX_STEPS) {
      throw new IllegalArgumentException("steps must be 0.." + MAX_STEPS + ", got " + steps);
    }
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(snapshots, "snapshots");
    checks = checks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(checks));
  }

  /**
   * A run of {@code nodes} nodes with every check on, no broken variant, no lease reads, and
   * snapshots as the seed decides.
   */
  public static SimulationOptions of(long seed, int nodes, int steps) {
    return new SimulationOptions(seed, nodes, steps, BrokenVariant.NONE, false,
        SnapshotMode.SEEDED, EnumSet.allOf(InvariantFamily.class), false);
  }

  /** A copy with another broken variant. */
  public SimulationOptions withVariant(BrokenVariant v) {
    return new SimulationOptions(seed, nodes, steps, v, leaseReads, snapshots, checks,
        membershipChanges);
  }

  /** A copy with lease reads switched on or off. */
  public SimulationOptions withLeaseReads(boolean on) {
    return new SimulationOptions(seed, nodes, steps, variant, on, snapshots, checks,
        membershipChanges);
  }

  /** A copy with membership changes switched on or off. */
  public SimulationOptions withMembershipChanges(boolean on) {
    return new SimulationOptions(seed, nodes, steps, variant, leaseReads, snapshots, checks, on);
  }

  /** A copy with another seed. */
  public SimulationOptions withSeed(long s) {
    return new SimulationOptions(s, nodes, steps, variant, leaseReads, snapshots, checks,
        membershipChanges);
  }

  /** A copy with another snapshot mode. */
  public SimulationOptions withSnapshots(SnapshotMode mode) {
    return new SimulationOptions(seed, nodes, steps, variant, leaseReads, mode, checks,
        membershipChanges);
  }

  /** A copy that does not check {@code family}. */
  public SimulationOptions without(InvariantFamily family) {
    EnumSet<InvariantFamily> fewer = EnumSet.allOf(InvariantFamily.class);
    fewer.retainAll(checks);
    fewer.remove(family);
    return new SimulationOptions(seed, nodes, steps, variant, leaseReads, snapshots, fewer,
        membershipChanges);
  }

  /** Whether {@code family} is checked. */
  public boolean checks(InvariantFamily family) {
    return checks.contains(family);
  }

  /** The soak runner's command line that replays exactly this run. */
  public String replayCommand() {
    StringBuilder sb = new StringBuilder("scripts/soak.sh --seed ").append(seed)
        .append(" --nodes ").append(nodes).append(" --steps ").append(steps);
    if (variant != BrokenVariant.NONE) {
      sb.append(" --variant ").append(variant.cliName());
    }
    if (leaseReads) {
      sb.append(" --lease-reads");
    }
    if (membershipChanges) {
      sb.append(" --membership-changes");
    }
    if (snapshots != SnapshotMode.SEEDED) {
      sb.append(" --snapshots ").append(snapshots.cliName());
    }
    for (InvariantFamily f : InvariantFamily.values()) {
      if (!checks.contains(f)) {
        sb.append(" --skip-check ").append(f.name());
      }
    }
    return sb.toString();
  }
}
