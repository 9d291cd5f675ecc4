package io.raftdb.sim.dst;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The soak runner's command line, parsed and validated.
 *
 * @param firstSeed the first seed to run
 * @param seeds how many consecutive seeds to run
 * @param replay whether one seed is replayed ({@code --seed}): print its whole report
 * @param steps fault-phase events per seed
 * @param nodes the group size, or 0 to rotate through 3, 5 and 7 by seed
 * @param variant the broken variant to run
 * @param leaseReads whether clients also issue lease reads
 * @param snapshots whether nodes take snapshots and compact their logs
 * @param checks the invariant families to check
 * @param maxMinutes stop starting new seeds after this many minutes of wall time (0: no limit)
 * @param verbose print every event of every run as it happens
 * @param membershipChanges whether an operator changes the membership during each run
 */
record SoakArguments(long firstSeed, long seeds, boolean replay, int steps, int nodes,
    BrokenVariant variant, boolean leaseReads, SnapshotMode snapshots,
    Set<InvariantFamily> checks, double maxMinutes, boolean verbose,
    boolean membershipChanges) {

  static final String USAGE = String.join("\n",
      "usage: soak.sh [options]",
      "  --seeds N          run N consecutive seeds (default 100)",
      "  --first S          the first of them (default 1)",
      "  --seed S           replay seed S alone and print its full report",
      "  --steps N          fault-phase events per seed (default "
          + SimulationOptions.DEFAULT_STEPS + ")",
      "  --nodes N          group size (default: 3, 5 or 7 chosen by seed mod 3)",
      "  --variant NAME     run a broken variant: forgetful-vote, lying-sync,",
      "                     duplicating-network, mutating-network, eager-compaction,",
      "                     unpinned-snapshot, tick-lease, eager-votes-after-restart",
      "                     (default none; the last two only show with --lease-reads)",
      "  --lease-reads      clients also issue LEASE reads (on seeds whose clock skew the",
      "                     configured clock drift bound covers: all but skew 0.5)",
      "  --snapshots MODE   off, on, or seeded: snapshots, log compaction and InstallSnapshot",
      "                     in four seeds of five (default seeded)",
      "  --membership-changes  an operator adds, promotes, removes and replaces members",
      "                     during the fault phase (two more nodes start as joiners)",
      "  --skip-check NAME  do not report this invariant family (repeatable)",
      "  --max-minutes M    start no new seed after M minutes of wall time",
      "  --verbose          print every event as it happens",
      "  --help             print this text");

  /** The group size for {@code seed}. */
  int nodesFor(long seed) {
    if (nodes > 0) {
      return nodes;
    }
    return new int[] {3, 5, 7}[(int) Math.floorMod(seed, 3L)];
  }

  /** The options of the run of {@code seed}. */
  SimulationOptions optionsFor(long seed) {
    return new SimulationOptions(seed, nodesFor(seed), steps, variant, leaseReads, snapshots,
        checks, membershipChanges);
  }

  /**
   * Parses {@code args}.
   *
   * @throws IllegalArgumentException naming the bad argument
   */
  static SoakArguments parse(String... args) {
    long first = 1;
    long seeds = 100;
    boolean replay = false;
    int steps = SimulationOptions.DEFAULT_STEPS;
    int nodes = 0;
    BrokenVariant variant = BrokenVariant.NONE;
    boolean lease = false;
    SnapshotMode snapshots = SnapshotMode.SEEDED;
    Set<InvariantFamily> checks = EnumSet.allOf(InvariantFamily.class);
    double maxMinutes = 0;
    boolean verbose = false;
    boolean membership = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--seeds" -> seeds = positiveLong(a, value(args, ++i, a));
        case "--first" -> first = parseLong(a, value(args, ++i, a));
        case "--seed" -> {
          first = parseLong(a, value(args, ++i, a));
          seeds = 1;
          replay = true;
        }
        case "--steps" -> steps = (int) rangedLong(a, value(args, ++i, a), 0,
            SimulationOptions.MAX_STEPS);
        case "--nodes" -> nodes = (int) rangedLong(a, value(args, ++i, a), 1,
            SimulationOptions.MAX_NODES);
        case "--variant" -> variant = BrokenVariant.fromCliName(value(args, ++i, a));
        case "--lease-reads" -> lease = true;
        case "--snapshots" -> snapshots = SnapshotMode.fromCliName(value(args, ++i, a));
        case "--skip-check" -> checks.remove(family(value(args, ++i, a)));
        case "--max-minutes" -> maxMinutes = minutes(value(args, ++i, a));
        case "--verbose" -> verbose = true;
        case "--membership-changes" -> membership = true;
        default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
      }
    }
    return new SoakArguments(first, seeds, replay, steps, nodes, variant, lease, snapshots,
        checks, maxMinutes, verbose, membership);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static long parseLong(String flag, String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a whole number, got '" + v + "'");
    }
  }

  private static long positiveLong(String flag, String v) {
    return rangedLong(flag, v, 1, Long.MAX_VALUE);
  }

  private static long rangedLong(String flag, String v, long min, long max) {
    long n = parseLong(flag, v);
    if (n < min || n > max) {
      throw new IllegalArgumentException(flag + " must be " + min + ".." + max + ", got " + n);
    }
    return n;
  }

  private static double minutes(String v) {
    try {
      double m = Double.parseDouble(v);
      if (!(m > 0) || Double.isInfinite(m)) {
        throw new NumberFormatException();
      }
      return m;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--max-minutes needs a positive number, got '" + v + "'");
    }
  }

  private static InvariantFamily family(String v) {
    try {
      return InvariantFamily.valueOf(v.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown invariant family '" + v + "'; known: "
          + EnumSet.allOf(InvariantFamily.class));
    }
  }
}
