package io.raftdb;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing and flow-control settings of a node. Immutable; start from {@link #defaults()} and
 * change what you need with the {@code with…} methods.
 *
 * @param tickInterval how often the node's logical clock advances; every other duration is
 *     rounded to a whole number of ticks
 * @param heartbeatInterval how often an idle leader asserts itself
 * @param electionTimeout the minimum time a follower waits for a leader before campaigning; each
 *     wait is drawn at random from {@code [electionTimeout, 2 × electionTimeout)} (thesis §3.4).
 *     It also bounds the leader lease and check-quorum.
 * @param preVote ask whether an election could be won before raising the term (thesis §9.6), so
 *     that a node rejoining after a partition does not depose a healthy leader
 * @param checkQuorum a leader that has not heard from a quorum for an election timeout steps down
 * @param maxInflightAppends how many AppendEntries carrying entries may be unacknowledged per
 *     follower (pipelining depth)
 * @param maxAppendBytes the most entry bytes one AppendEntries carries
 * @param randomSeed the seed of the election-timeout randomness; 0 picks one from the node id
 *     and the system clock
 * @param snapshotThreshold take a snapshot once this many entries were applied since the last
 *     one (only for state machines that support snapshots); the log before it is then discarded
 * @param snapshotThresholdBytes take a snapshot once the commands applied since the last one
 *     add up to this many bytes, whichever of the two thresholds comes first
 * @param snapshotChunkBytes the size of the chunks a leader ships a snapshot in
 * @param maxClockDrift how far apart the rates of two nodes' monotonic clocks may run, as a
 *     fraction (0.05: one node's second may last 5% longer than another's). The leader lease is
 *     shortened by it (see {@link #leaseDuration()}); clocks that drift more than this make
 *     {@link ReadConsistency#LEASE} reads unsafe, and nothing else.
 */
public record RaftConfig(Duration tickInterval, Duration heartbeatInterval,
    Duration electionTimeout, boolean preVote, boolean checkQuorum, int maxInflightAppends,
    int maxAppendBytes, long randomSeed, long snapshotThreshold, long snapshotThresholdBytes,
    int snapshotChunkBytes, double maxClockDrift) {

  /** Validates the settings and their relations. */
  public RaftConfig {
    Objects.requireNonNull(tickInterval, "tickInterval");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(electionTimeout, "electionTimeout");
    if (tickInterval.isNegative() || tickInterval.isZero()) {
      throw new IllegalArgumentException("tickInterval must be positive");
    }
    if (heartbeatInterval.compareTo(tickInterval) < 0) {
      throw new IllegalArgumentException("heartbeatInterval must be at least one tick");
    }
    if (electionTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("electionTimeout " + electionTimeout
          + " must be at least twice heartbeatInterval " + heartbeatInterval);
    }
    if (maxInflightAppends < 1) {
      throw new IllegalArgumentException("maxInflightAppends must be at least 1");
    }
    if (maxAppendBytes < 1024) {
      throw new IllegalArgumentException("maxAppendBytes must be at least 1024");
    }
    if (snapshotThreshold < 1 || snapshotThresholdBytes < 1) {
      throw new IllegalArgumentException("snapshot thresholds must be at least 1");
    }
    if (snapshotChunkBytes < 1024) {
      throw new IllegalArgumentException("snapshotChunkBytes must be at least 1024");
    }
    if (!(maxClockDrift >= 0 && maxClockDrift < 0.5)) {
      throw new IllegalArgumentException("maxClockDrift must be in [0, 0.5), got " + maxClockDrift);
    }
  }

  /**
   * The defaults: a 10 ms tick, heartbeats every 100 ms (at most 10 per second per follower),
   * elections after 1–2 s of silence, pre-vote and check-quorum on, 64 AppendEntries in flight
   * per follower of at most 1 MiB each, a snapshot every 100,000 applied entries or 64 MiB of
   * applied commands, shipped in 1 MiB chunks, clocks trusted to drift apart by at most 5%.
   */
  public static RaftConfig defaults() {
    return new RaftConfig(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(1000),
        true, true, 64, 1 << 20, 0, 100_000, 64L << 20, 1 << 20, 0.05);
  }

  /** A copy with another tick interval. */
  public RaftConfig withTickInterval(Duration d) {
    return new RaftConfig(d, heartbeatInterval, electionTimeout, preVote, checkQuorum,
        maxInflightAppends, maxAppendBytes, randomSeed, snapshotThreshold, snapshotThresholdBytes, snapshotChunkBytes,
        maxClockDrift);
  }

  /** A copy with another heartbeat interval. */
  public RaftConfig withHeartbeatInterval(Duration d) {
    return new RaftConfig(tickInterval, d, electionTimeout, preVote, checkQuorum,
        maxInflightAppends, maxAppendBytes, randomSeed, snapshotThreshold, snapshotThresholdBytes, snapshotChunkBytes,
        maxClockDrift);
  }

  /** A copy with another minimum election timeout. */
  public RaftConfig withElectionTimeout(Duration d) {
    return new RaftConfig(tickInterval, heartbeatInterval, d, preVote, checkQuorum,
        maxInflightAppends, maxAppendBytes, randomSeed, snapshotThreshold, snapshotThresholdBytes, snapshotChunkBytes,
        maxClockDrift);
  }

  /** A copy with pre-vote switched on or off. */
  public RaftConfig withPreVote(boolean on) {
    return new RaftConfig(tickInterval, heartbeatInterval, electionTimeout, on, checkQuorum,
        maxInflightAppends, maxAppendBytes, randomSeed, snapshotThreshold, snapshotThresholdBytes, snapshotChunkBytes,
        maxClockDrift);
  }

  /** A copy with check-quorum switched on or off. */
  public RaftConfig withCheckQuorum(boolean on) {
    return new RaftConfig(tickInterval, heartbeatInterval, electionTimeout, preVote, on,
        maxInflightAppends, maxAppendBytes, randomSeed, snapshotThreshold, snapshotThresholdBytes, snapshotChunkBytes,
        maxClockDrift);
  }

  /** A copy with another pipelining depth. */
  public RaftConfig withMaxInflightAppends(int n) {
    return new RaftConfig(tickInterval, heartbeatInterval, electionTimeout, preVote, checkQuorum,
        n, maxAppendBytes, randomSeed, snapshotThreshold, snapshotThresholdBytes, snapshotChunkBytes,
        maxClockDrift);
  }

  /** A copy with another AppendEntries size limit. */
  public RaftConfig withMaxAppendBytes(int n) {
    return new RaftConfig(tickInterval, heartbeatInterval, electionTimeout, preVote, checkQuorum,
        maxInflightAppends, n, randomSeed, snapshotThreshold, snapshotThresholdBytes, snapshotChunkBytes,
        maxClockDrift);
  }

  /** A copy with a fixed random seed, for reproducible runs. */
  public RaftConfig withRandomSeed(long seed) {
    return new RaftConfig(tickInterval, heartbeatInterval, electionTimeout, preVote, checkQuorum,
        maxInflightAppends, maxAppendBytes, seed, snapshotThreshold, snapshotThresholdBytes, snapshotChunkBytes,
        maxClockDrift);
  }

  /** A copy with another snapshot threshold, in applied entries. */
  public RaftConfig withSnapshotThreshold(long entries) {
    return new RaftConfig(tickInterval, heartbeatInterval, electionTimeout, preVote, checkQuorum,
        maxInflightAppends, maxAppendBytes, randomSeed, entries, snapshotThresholdBytes,
        snapshotChunkBytes,
        maxClockDrift);
  }

  /** A copy with another snapshot chunk size. */
  public RaftConfig withSnapshotChunkBytes(int bytes) {
    return new RaftConfig(tickInterval, heartbeatInterval, electionTimeout, preVote, checkQuorum,
        maxInflightAppends, maxAppendBytes, randomSeed, snapshotThreshold,
        snapshotThresholdBytes, bytes,
        maxClockDrift);
  }

  /** A copy with another snapshot threshold, in bytes of applied commands. */
  public RaftConfig withSnapshotThresholdBytes(long bytes) {
    return new RaftConfig(tickInterval, heartbeatInterval, electionTimeout, preVote, checkQuorum,
        maxInflightAppends, maxAppendBytes, randomSeed, snapshotThreshold, bytes,
        snapshotChunkBytes,
        maxClockDrift);
  }

  /** A copy that trusts clocks to drift apart by at most {@code fraction}. */
  public RaftConfig withMaxClockDrift(double fraction) {
    return new RaftConfig(tickInterval, heartbeatInterval, electionTimeout, preVote, checkQuorum,
        maxInflightAppends, maxAppendBytes, randomSeed, snapshotThreshold,
        snapshotThresholdBytes, snapshotChunkBytes, fraction);
  }

  /**
   * How long, measured on the leader's monotonic clock from the moment it sent a heartbeat round
   * that a quorum then answered, the leader may serve {@link ReadConsistency#LEASE} reads without
   * asking anyone. A follower that heard the round ignores candidates until it has counted
   * {@link #electionTicks()} ticks; counting from a tick that may fall just after the message, it
   * waits at least {@code electionTicks() - 1} whole ticks of its own clock. Both clocks may be off
   * by {@link #maxClockDrift}, so the lease is that span shrunk by {@code (1 - d) / (1 + d)}.
   */
  public Duration leaseDuration() {
    double followerWait = (double) (electionTicks() - 1) * tickInterval.toNanos();
    return Duration.ofNanos((long) (followerWait * (1 - maxClockDrift) / (1 + maxClockDrift)));
  }

  /** {@link #heartbeatInterval} in ticks, at least 1. */
  public int heartbeatTicks() {
    return (int) Math.max(1, heartbeatInterval.toNanos() / tickInterval.toNanos());
  }

  /** {@link #electionTimeout} in ticks, at least 2. */
  public int electionTicks() {
    return (int) Math.max(2, electionTimeout.toNanos() / tickInterval.toNanos());
  }
}
