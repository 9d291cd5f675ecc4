package io.raftdb.sim.dst;

import java.util.SplittableRandom;

/**
 * How hostile one run's world is, drawn from the seed: some seeds get a calm network and steady
 * nodes, others drop a third of all messages while nodes crash every few hundred milliseconds.
 * Times are virtual microseconds; a mean or maximum of 0 switches that fault off.
 *
 * @param dropRate the chance that a message is lost
 * @param duplicateRate the chance that a message is delivered a second time, later
 * @param longDelayRate the chance that a message is held back up to {@code maxLongDelay}
 *     (which reorders it behind later ones)
 * @param maxLongDelay the longest such hold-back
 * @param meanCrashInterval the mean time between two crashes of some node
 * @param maxDowntime the longest a crashed node stays down
 * @param crashAfterSyncRate the chance that a node crashes right after a sync, before it sends
 *     the messages that the sync allowed
 * @param meanPartitionInterval the mean time between two network partitions
 * @param maxPartition the longest a partition lasts
 * @param maxSkew each node's clock runs at a rate drawn from {@code [1 - maxSkew, 1 + maxSkew]}
 * @param slowDiskRate the chance that a sync takes a while, during which the node does nothing
 * @param maxSlowDisk the longest such sync
 * @param meanStallInterval the mean time between two stalls of some node's loop (a GC pause):
 *     the node handles nothing and fires no ticks while virtual time passes
 * @param maxStall the longest such stall
 * @param quickRestartRate the chance that a crashed node comes back within
 *     {@link #QUICK_RESTART}, faster than an election timeout, instead of after its downtime
 * @param crashAfterAckRate the chance that a follower crashes right after it acknowledged an
 *     AppendEntries while another node campaigns, and restarts within an election timeout (the
 *     leader counts on it for its lease meanwhile)
 * @param meanLinkCutInterval the mean time between two cuts of the one link between a leader and
 *     one other node (both ways), which leaves that node cut off from the leader but not from
 *     the rest
 * @param maxLinkCut the longest such cut
 * @param clientQuietSpells whether the clients now and then stop proposing for a while (see
 *     {@link Workload}); not a fault, but part of what makes the world hostile
 */
record FaultPlan(double dropRate, double duplicateRate, double longDelayRate, long maxLongDelay,
    long meanCrashInterval, long maxDowntime, double crashAfterSyncRate,
    long meanPartitionInterval, long maxPartition, double maxSkew, double slowDiskRate,
    long maxSlowDisk, long meanStallInterval, long maxStall, double quickRestartRate,
    double crashAfterAckRate, long meanLinkCutInterval, long maxLinkCut,
    boolean clientQuietSpells) {

  private static final long MS = 1_000;
  /** The longest quick restart: half the simulator's 100 ms election timeout. */
  static final long QUICK_RESTART = 50 * MS;
  /** Mixed into the seed for the stream the faults added after the first menu draw from. */
  private static final long STALL_STREAM = 0x5354414c4c53L; // "STALLS"

  /** A world without faults: what the cluster runs in once the fault phase heals. */
  static final FaultPlan CALM = new FaultPlan(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, false);

  /**
   * Draws a plan, each fault from a small menu that includes "off". The faults that came first
   * draw from {@code random}, the run's main stream; the later ones (stalls, quick restarts,
   * crashes after an acknowledgement, cut links, quiet spells) draw from {@code later} (see
   * {@link #laterFaultsRandom}), so that adding them left the first menu's draws as they were.
   * (What a seed then does still changed: the new faults act on the run.)
   */
  static FaultPlan draw(SplittableRandom random, SplittableRandom later, BrokenVariant variant) {
    double drop = pick(random, 0.0, 0.0, 0.01, 0.05, 0.15, 0.3);
    double duplicate = variant == BrokenVariant.DUPLICATING_NETWORK ? 1.0
        : pick(random, 0.0, 0.01, 0.05);
    double longDelay = pick(random, 0.0, 0.01, 0.05);
    long maxLongDelay = pick(random, 200 * MS, 1_000 * MS, 3_000 * MS);
    long crashEvery = pick(random, 0, 2_000 * MS, 500 * MS, 150 * MS);
    long downtime = pick(random, 50 * MS, 500 * MS, 2_000 * MS);
    double crashAfterSync = pick(random, 0.0, 0.002, 0.01);
    long partitionEvery = pick(random, 0, 2_000 * MS, 500 * MS);
    long partitionFor = pick(random, 100 * MS, 1_000 * MS, 3_000 * MS);
    double skew = pick(random, 0.0, 0.1, 0.5);
    double slowDisk = pick(random, 0.0, 0.05, 0.3);
    long slowFor = pick(random, 5 * MS, 50 * MS, 300 * MS);
    // Against the 100 ms election timeout: a stall that a heartbeat outlasts, one that outlasts
    // an election, one that outlasts many.
    long stallEvery = pick(later, 0, 0, 2_000 * MS, 500 * MS, 150 * MS);
    long stallFor = pick(later, 50 * MS, 300 * MS, 3_000 * MS);
    double quickRestart = pick(later, 0.0, 0.3, 0.7);
    double crashAfterAck = pick(later, 0.0, 0.3, 1.0);
    long linkCutEvery = pick(later, 0, 1_000 * MS, 300 * MS);
    long linkCutFor = pick(later, 300 * MS, 1_000 * MS, 3_000 * MS);
    boolean quietSpells = later.nextInt(3) != 0;
    return new FaultPlan(drop, duplicate, longDelay, maxLongDelay, crashEvery, downtime,
        crashAfterSync, partitionEvery, partitionFor, skew, slowDisk, slowFor, stallEvery,
        stallFor, quickRestart, crashAfterAck, linkCutEvery, linkCutFor, quietSpells);
  }

  /**
   * The random stream of {@code seed} for the faults added after the first menu, independent of
   * the run's main stream: the plan draws them from it, then the fault schedule, the nodes and
   * the clients draw their moments, victims and spans.
   */
  static SplittableRandom laterFaultsRandom(long seed) {
    return new SplittableRandom(Hashes.mix(seed ^ STALL_STREAM));
  }

  /**
   * The clock drift to configure so that {@code LEASE} reads stay safe under this plan's skew.
   *
   * <p>A node's clock rate {@code c} (drawn from {@code [1 - s, 1 + s]} for skew {@code s}) is
   * how many real seconds one of its local seconds lasts. A follower that heard a heartbeat round
   * ignores candidates for at least {@code W = (electionTicks - 1)} of its ticks, which last at
   * least {@code W * (1 - s)} real time; the leader serves from the round for
   * {@code L = W * (1 - d) / (1 + d)} of its local time ({@code RaftConfig.leaseDuration()}),
   * which lasts at most {@code L * (1 + s)}. The lease is safe when
   * {@code L * (1 + s) <= W * (1 - s)}, that is when {@code d >= s}. We configure the largest
   * deviation of a local clock's pace from true time, {@code 1 / (1 - s) - 1 = s / (1 - s)}
   * (0.111 for a skew of 0.1): at least {@code s}, with room for the rounding of tick periods to
   * whole microseconds.
   */
  double clockDriftBound() {
    return maxSkew / (1 - maxSkew);
  }

  /**
   * Whether {@code RaftConfig} can be told a drift bound that covers this plan's skew
   * ({@code maxClockDrift} must stay below 0.5): not for a skew of 0.5, whose bound would be 1.
   */
  boolean leaseReadsSafe() {
    return clockDriftBound() < 0.5;
  }

  private static double pick(SplittableRandom random, double... choices) {
    return choices[random.nextInt(choices.length)];
  }

  private static long pick(SplittableRandom random, long... choices) {
    return choices[random.nextInt(choices.length)];
  }

  /** One line for the failure report. */
  String describe() {
    return String.format(java.util.Locale.ROOT,
        "drop=%.2f dup=%.2f longDelay=%.2f(<=%dms) crashEvery=%dms down<=%dms crashAfterSync=%.3f "
            + "partitionEvery=%dms for<=%dms skew=%.1f slowDisk=%.2f(<=%dms) stallEvery=%dms "
            + "for<=%dms quickRestart=%.1f crashAfterAck=%.3f linkCutEvery=%dms for<=%dms%s",
        dropRate, duplicateRate, longDelayRate, maxLongDelay / MS, meanCrashInterval / MS,
        maxDowntime / MS, crashAfterSyncRate, meanPartitionInterval / MS, maxPartition / MS,
        maxSkew, slowDiskRate, maxSlowDisk / MS, meanStallInterval / MS, maxStall / MS,
        quickRestartRate, crashAfterAckRate, meanLinkCutInterval / MS, maxLinkCut / MS,
        clientQuietSpells ? " quietSpells" : "");
  }
}
