package io.raftdb.sim.dst;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How one run's nodes take snapshots, drawn from the seed. Drawn from a stream of its own (not
 * the run's main random source), so that a run without snapshots makes exactly the choices it
 * made before snapshots existed, and old seeds replay unchanged with {@link SnapshotMode#OFF}.
 *
 * @param every a node snapshots its state machine once this many entries were applied since its
 *     last snapshot (0: never)
 * @param stateBytes filler bytes the state machine adds to its 8-byte state, so that a snapshot
 *     travels in several chunks
 * @param chunkBytes the size of the chunks a leader ships a snapshot in
 * @param maxWrite the longest ordinary snapshot write, in virtual microseconds (a slow disk, as
 *     the fault plan says, adds to it)
 * @param kept how many snapshots a node's store keeps (the newest); with few, a leader's
 *     snapshot is often replaced while it is being shipped
 */
record SnapshotPlan(long every, int stateBytes, int chunkBytes, long maxWrite, int kept) {
  /** No snapshots. */
  static final SnapshotPlan OFF = new SnapshotPlan(0, 0, 1024, 0, 2);

  /** Mixed into the seed so that this stream is independent of the run's main one. */
  private static final long STREAM = 0x534e415053484f54L; // "SNAPSHOT"

  /** Whether nodes take snapshots at all. */
  boolean on() {
    return every > 0;
  }

  /** Draws the plan of {@code seed}: on or off as {@code mode} says, the rest from the seed. */
  static SnapshotPlan draw(long seed, SnapshotMode mode, BrokenVariant variant) {
    SplittableRandom random = new SplittableRandom(Hashes.mix(seed ^ STREAM));
    boolean seededOn = random.nextInt(5) != 0;
    long every = pick(random, 3, 5, 8, 12, 20, 30, 50);
    int stateBytes = (int) pick(random, 0, 600, 2_500, 7_000);
    long maxWrite = pick(random, 500, 5_000, 50_000);
    int kept = (int) pick(random, 1, 2, 2, 3);
    boolean on = switch (mode) {
      case OFF -> false;
      case ON -> true;
      case SEEDED -> seededOn || variant.needsSnapshots();
    };
    return on ? new SnapshotPlan(every, stateBytes, 1024, maxWrite, kept) : OFF;
  }

  private static long pick(SplittableRandom random, long... choices) {
    return choices[random.nextInt(choices.length)];
  }

  /** One line for the failure report. */
  String describe() {
    return on() ? String.format(Locale.ROOT, "snapshots every %d entries, state %dB in %dB chunks,"
        + " written in <=%.1fms, newest %d kept", every, stateBytes + RunningHash.FIXED_BYTES,
        chunkBytes, maxWrite / 1000.0, kept) : "no snapshots";
  }
}
