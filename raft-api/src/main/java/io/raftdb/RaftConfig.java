package io.raftdb;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing, flow-control and limit settings of a node. Immutable; start from {@link #defaults()}
 * and change what you need through {@link #toBuilder()} (or a {@code with…} shorthand).
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
 * @param maxAppendBytes the most entry bytes one AppendEntries carries (one entry is always sent,
 *     whatever its size)
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
 * @param maxCommandBytes the largest command {@code propose} takes; a larger one is refused with
 *     {@link CommandTooLargeException}. Checked against the log's largest entry and the
 *     transport's largest message when the node is built.
 * @param maxPendingProposals the most commands proposed on this node and not yet applied (queued,
 *     replicating or waiting for the state machine); past it {@code propose} fails at once with
 *     {@link OverloadedException}
 * @param maxPendingProposalBytes the same bound in command bytes
 * @param maxApplyBacklogBytes the most committed command bytes handed to the state machine and not
 *     yet applied; past it the node hands out no more until the state machine catches up, so that
 *     a slow state machine holds back its own node's memory, not the group
 * @param maxPendingReads the most linearizable and lease reads waiting on this node; past it
 *     {@code query} fails at once with {@link OverloadedException}
 * @param sessionTimeout how long a client session lives without a command or keep-alive, in the
 *     leaders' clock time carried in the log (thesis §6.3). The leader that registers a session
 *     writes this timeout into the registration, so replicas agree whatever their own settings.
 * @param maxSessions the most client sessions the group keeps; a registration beyond it ends the
 *     session idle the longest. Written into each registration, like {@code sessionTimeout}.
 * @param pipelinedPersistence on a log that can sync beside its writer
 *     ({@link io.raftdb.storage.LogStorage#syncsConcurrently()}: RaftDB's Chronicle log), sync on a
 *     thread of its own while the event loop goes on, one sync for everything written before it
 *     (thesis §10.2.1); acknowledgements still wait for their sync. Off: the event loop syncs each
 *     batch itself, which saves a thread hand-off per round (lower latency with a fast disk and a
 *     light load) but stalls the node for as long as a sync takes. On by default.
 * @param promotionLag how many entries a promotable learner may trail the leader's log by when
 *     the leader promotes it to voter (thesis §4.2.1: a new voter that is far behind would leave
 *     the group unable to commit until it catches up)
 * @param applyOnEventLoop apply committed commands, run queries and load snapshots on the node's
 *     event loop instead of an apply thread of its own. For state machines whose every call is
 *     quick (an in-memory map: microseconds per command): it saves a thread hand-off per batch,
 *     which on a busy machine is worth more than the parallelism (about 40% more commits per
 *     second at 64 in flight on a 2-core machine). The price: while the state machine works, the
 *     node neither sends heartbeats nor answers votes, so a call that takes longer than a fraction
 *     of {@code electionTimeout} can cost the group its leader; and a snapshot that cannot be
 *     loaded holds the whole node, not only its applied index, until it can. Off by default.
 */
public record RaftConfig(Duration tickInterval, Duration heartbeatInterval,
    Duration electionTimeout, boolean preVote, boolean checkQuorum, int maxInflightAppends,
    int maxAppendBytes, long randomSeed, long snapshotThreshold, long snapshotThresholdBytes,
    int snapshotChunkBytes, double maxClockDrift, int maxCommandBytes, int maxPendingProposals,
    long maxPendingProposalBytes, long maxApplyBacklogBytes, int maxPendingReads,
    Duration sessionTimeout, int maxSessions, boolean pipelinedPersistence, long promotionLag,
    boolean applyOnEventLoop) {

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
    atLeast("maxInflightAppends", maxInflightAppends, 1);
    atLeast("maxAppendBytes", maxAppendBytes, 1024);
    atLeast("snapshotThreshold", snapshotThreshold, 1);
    atLeast("snapshotThresholdBytes", snapshotThresholdBytes, 1);
    atLeast("snapshotChunkBytes", snapshotChunkBytes, 1024);
    if (!(maxClockDrift >= 0 && maxClockDrift < 0.5)) {
      throw new IllegalArgumentException("maxClockDrift must be in [0, 0.5), got " + maxClockDrift);
    }
    atLeast("maxCommandBytes", maxCommandBytes, 1);
    atLeast("maxPendingProposals", maxPendingProposals, 1);
    atLeast("maxPendingProposalBytes", maxPendingProposalBytes, maxCommandBytes);
    atLeast("maxApplyBacklogBytes", maxApplyBacklogBytes, maxCommandBytes);
    atLeast("maxPendingReads", maxPendingReads, 1);
    Objects.requireNonNull(sessionTimeout, "sessionTimeout");
    if (sessionTimeout.compareTo(electionTimeout) < 0) {
      throw new IllegalArgumentException("sessionTimeout " + sessionTimeout
          + " must be at least electionTimeout " + electionTimeout
          + ": sessions must outlive a leader change");
    }
    atLeast("maxSessions", maxSessions, 1);
    atLeast("promotionLag", promotionLag, 0);
  }

  private static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
  }

  /**
   * The defaults: a 10 ms tick, heartbeats every 100 ms (at most 10 per second per follower),
   * elections after 1–2 s of silence, pre-vote and check-quorum on, 64 AppendEntries in flight
   * per follower of at most 1 MiB each, a snapshot every 100,000 applied entries or 64 MiB of
   * applied commands, shipped in 1 MiB chunks, clocks trusted to drift apart by at most 5%,
   * commands of at most 8 MiB, at most 16,384 commands or 256 MiB pending per node, at most
   * 64 MiB waiting for the state machine, at most 16,384 pending reads, client sessions that
   * expire after a minute without a command and at most 65,536 of them, learners promoted once
   * they trail the leader by at most 1,000 entries, commands applied on an apply thread of the
   * node's own.
   */
  public static RaftConfig defaults() {
    return new RaftConfig(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(1000),
        true, true, 64, 1 << 20, 0, 100_000, 64L << 20, 1 << 20, 0.05, 8 << 20, 16_384,
        256L << 20, 64L << 20, 16_384, Duration.ofMinutes(1), 65_536, true,
        1_000, false);
  }

  /** A builder that starts from {@link #defaults()}. */
  public static Builder builder() {
    return defaults().toBuilder();
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A copy with another tick interval. */
  public RaftConfig withTickInterval(Duration d) {
    return toBuilder().tickInterval(d).build();
  }

  /** A copy with another heartbeat interval. */
  public RaftConfig withHeartbeatInterval(Duration d) {
    return toBuilder().heartbeatInterval(d).build();
  }

  /** A copy with another minimum election timeout. */
  public RaftConfig withElectionTimeout(Duration d) {
    return toBuilder().electionTimeout(d).build();
  }

  /** A copy with pre-vote switched on or off. */
  public RaftConfig withPreVote(boolean on) {
    return toBuilder().preVote(on).build();
  }

  /** A copy with check-quorum switched on or off. */
  public RaftConfig withCheckQuorum(boolean on) {
    return toBuilder().checkQuorum(on).build();
  }

  /** A copy with pipelined persistence switched on or off. */
  public RaftConfig withPipelinedPersistence(boolean on) {
    return toBuilder().pipelinedPersistence(on).build();
  }

  /** A copy that applies commands on the node's event loop, or on an apply thread. */
  public RaftConfig withApplyOnEventLoop(boolean on) {
    return toBuilder().applyOnEventLoop(on).build();
  }

  /** A copy with another pipelining depth. */
  public RaftConfig withMaxInflightAppends(int n) {
    return toBuilder().maxInflightAppends(n).build();
  }

  /** A copy with another AppendEntries size limit. */
  public RaftConfig withMaxAppendBytes(int n) {
    return toBuilder().maxAppendBytes(n).build();
  }

  /** A copy with a fixed random seed, for reproducible runs. */
  public RaftConfig withRandomSeed(long seed) {
    return toBuilder().randomSeed(seed).build();
  }

  /** A copy with another snapshot threshold, in applied entries. */
  public RaftConfig withSnapshotThreshold(long entries) {
    return toBuilder().snapshotThreshold(entries).build();
  }

  /** A copy with another snapshot threshold, in bytes of applied commands. */
  public RaftConfig withSnapshotThresholdBytes(long bytes) {
    return toBuilder().snapshotThresholdBytes(bytes).build();
  }

  /** A copy with another snapshot chunk size. */
  public RaftConfig withSnapshotChunkBytes(int bytes) {
    return toBuilder().snapshotChunkBytes(bytes).build();
  }

  /** A copy that trusts clocks to drift apart by at most {@code fraction}. */
  public RaftConfig withMaxClockDrift(double fraction) {
    return toBuilder().maxClockDrift(fraction).build();
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

  /**
   * Builds a {@link RaftConfig}; each setter is named after the setting it changes (see the
   * record's components), and {@link #build()} validates them together.
   */
  public static final class Builder {
    private Duration tickInterval;
    private Duration heartbeatInterval;
    private Duration electionTimeout;
    private boolean preVote;
    private boolean checkQuorum;
    private int maxInflightAppends;
    private int maxAppendBytes;
    private long randomSeed;
    private long snapshotThreshold;
    private long snapshotThresholdBytes;
    private int snapshotChunkBytes;
    private double maxClockDrift;
    private int maxCommandBytes;
    private int maxPendingProposals;
    private long maxPendingProposalBytes;
    private long maxApplyBacklogBytes;
    private int maxPendingReads;
    private Duration sessionTimeout;
    private int maxSessions;
    private boolean pipelinedPersistence;
    private long promotionLag;
    private boolean applyOnEventLoop;

    private Builder(RaftConfig c) {
      tickInterval = c.tickInterval;
      heartbeatInterval = c.heartbeatInterval;
      electionTimeout = c.electionTimeout;
      preVote = c.preVote;
      checkQuorum = c.checkQuorum;
      maxInflightAppends = c.maxInflightAppends;
      maxAppendBytes = c.maxAppendBytes;
      randomSeed = c.randomSeed;
      snapshotThreshold = c.snapshotThreshold;
      snapshotThresholdBytes = c.snapshotThresholdBytes;
      snapshotChunkBytes = c.snapshotChunkBytes;
      maxClockDrift = c.maxClockDrift;
      maxCommandBytes = c.maxCommandBytes;
      maxPendingProposals = c.maxPendingProposals;
      maxPendingProposalBytes = c.maxPendingProposalBytes;
      maxApplyBacklogBytes = c.maxApplyBacklogBytes;
      maxPendingReads = c.maxPendingReads;
      sessionTimeout = c.sessionTimeout;
      maxSessions = c.maxSessions;
      pipelinedPersistence = c.pipelinedPersistence;
      promotionLag = c.promotionLag;
      applyOnEventLoop = c.applyOnEventLoop;
    }

    /** See {@link RaftConfig#tickInterval()}. */
    public Builder tickInterval(Duration d) {
      tickInterval = d;
      return this;
    }

    /** See {@link RaftConfig#heartbeatInterval()}. */
    public Builder heartbeatInterval(Duration d) {
      heartbeatInterval = d;
      return this;
    }

    /** See {@link RaftConfig#electionTimeout()}. */
    public Builder electionTimeout(Duration d) {
      electionTimeout = d;
      return this;
    }

    /** See {@link RaftConfig#preVote()}. */
    public Builder preVote(boolean on) {
      preVote = on;
      return this;
    }

    /** See {@link RaftConfig#checkQuorum()}. */
    public Builder checkQuorum(boolean on) {
      checkQuorum = on;
      return this;
    }

    /** See {@link RaftConfig#maxInflightAppends()}. */
    public Builder maxInflightAppends(int n) {
      maxInflightAppends = n;
      return this;
    }

    /** See {@link RaftConfig#maxAppendBytes()}. */
    public Builder maxAppendBytes(int n) {
      maxAppendBytes = n;
      return this;
    }

    /** See {@link RaftConfig#randomSeed()}. */
    public Builder randomSeed(long seed) {
      randomSeed = seed;
      return this;
    }

    /** See {@link RaftConfig#snapshotThreshold()}. */
    public Builder snapshotThreshold(long entries) {
      snapshotThreshold = entries;
      return this;
    }

    /** See {@link RaftConfig#snapshotThresholdBytes()}. */
    public Builder snapshotThresholdBytes(long bytes) {
      snapshotThresholdBytes = bytes;
      return this;
    }

    /** See {@link RaftConfig#snapshotChunkBytes()}. */
    public Builder snapshotChunkBytes(int bytes) {
      snapshotChunkBytes = bytes;
      return this;
    }

    /** See {@link RaftConfig#maxClockDrift()}. */
    public Builder maxClockDrift(double fraction) {
      maxClockDrift = fraction;
      return this;
    }

    /** See {@link RaftConfig#maxCommandBytes()}. */
    public Builder maxCommandBytes(int bytes) {
      maxCommandBytes = bytes;
      return this;
    }

    /** See {@link RaftConfig#maxPendingProposals()}. */
    public Builder maxPendingProposals(int n) {
      maxPendingProposals = n;
      return this;
    }

    /** See {@link RaftConfig#maxPendingProposalBytes()}. */
    public Builder maxPendingProposalBytes(long bytes) {
      maxPendingProposalBytes = bytes;
      return this;
    }

    /** See {@link RaftConfig#maxApplyBacklogBytes()}. */
    public Builder maxApplyBacklogBytes(long bytes) {
      maxApplyBacklogBytes = bytes;
      return this;
    }

    /** See {@link RaftConfig#maxPendingReads()}. */
    public Builder maxPendingReads(int n) {
      maxPendingReads = n;
      return this;
    }

    /** See {@link RaftConfig#sessionTimeout()}. */
    public Builder sessionTimeout(Duration d) {
      sessionTimeout = d;
      return this;
    }

    /** See {@link RaftConfig#maxSessions()}. */
    public Builder maxSessions(int n) {
      maxSessions = n;
      return this;
    }

    /** See {@link RaftConfig#pipelinedPersistence()}. */
    public Builder pipelinedPersistence(boolean on) {
      pipelinedPersistence = on;
      return this;
    }

    /** See {@link RaftConfig#promotionLag()}. */
    public Builder promotionLag(long entries) {
      promotionLag = entries;
      return this;
    }

    /** See {@link RaftConfig#applyOnEventLoop()}. */
    public Builder applyOnEventLoop(boolean on) {
      applyOnEventLoop = on;
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException if a setting or a relation between settings is invalid
     */
    public RaftConfig build() {
      return new RaftConfig(tickInterval, heartbeatInterval, electionTimeout, preVote,
          checkQuorum, maxInflightAppends, maxAppendBytes, randomSeed, snapshotThreshold,
          snapshotThresholdBytes, snapshotChunkBytes, maxClockDrift, maxCommandBytes,
          maxPendingProposals, maxPendingProposalBytes, maxApplyBacklogBytes, maxPendingReads,
          sessionTimeout, maxSessions, pipelinedPersistence, promotionLag, applyOnEventLoop);
    }
  }
}
