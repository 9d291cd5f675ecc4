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
 */
record FaultPlan(double dropRate, double duplicateRate, double longDelayRate, long maxLongDelay,
    long meanCrashInterval, long maxDowntime, double crashAfterSyncRate,
    long meanPartitionInterval, long maxPartition, double maxSkew, double slowDiskRate,
    long maxSlowDisk) {

  private static final long MS = 1_000;

  /** A world without faults: what the cluster runs in once the fault phase heals. */
  static final FaultPlan CALM = new FaultPlan(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Draws a plan from {@code random}, each fault from a small menu that includes "off". */
  static FaultPlan draw(SplittableRandom random, BrokenVariant variant) {
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
    return new FaultPlan(drop, duplicate, longDelay, maxLongDelay, crashEvery, downtime,
        crashAfterSync, partitionEvery, partitionFor, skew, slowDisk, slowFor);
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
            + "partitionEvery=%dms for<=%dms skew=%.1f slowDisk=%.2f(<=%dms)",
        dropRate, duplicateRate, longDelayRate, maxLongDelay / MS, meanCrashInterval / MS,
        maxDowntime / MS, crashAfterSyncRate, meanPartitionInterval / MS, maxPartition / MS,
        maxSkew, slowDiskRate, maxSlowDisk / MS);
  }
}
