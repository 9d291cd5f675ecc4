package io.raftdb.sim.dst;

import java.util.Locale;

/**
 * A deliberately broken piece of the world around the protocol, used to prove that the
 * simulator's checks catch what they claim to catch. Each variant breaks something the simulator
 * controls (a disk, the network, the node's runtime, clock or state machine). The protocol's code
 * is never altered; one variant ({@link #EAGER_VOTES_AFTER_RESTART}) turns off one of its
 * safeguards through the test hook the protocol offers for exactly that.
 */
public enum BrokenVariant {
  /** Nothing is broken: the default for every real run. */
  NONE,
  /**
   * The metadata store forgets the vote when a node restarts (keeps the term): a node can vote
   * twice in one term, so two leaders can be elected in it.
   */
  FORGETFUL_VOTE,
  /**
   * The log's {@code sync()} sometimes returns without making anything durable: a node can
   * acknowledge entries that a crash then loses, so a committed entry can disappear.
   */
  LYING_SYNC,
  /**
   * Pipelined persistence sends acknowledgements as soon as the entries are written, without
   * waiting for the background sync to cover them: a follower's acknowledged entries are lost
   * when it crashes before the sync returns, so a committed entry can disappear.
   */
  ACK_BEFORE_SYNC,
  /**
   * The network delivers every message twice. Raft tolerates duplicates, so this variant must
   * <em>not</em> trip any check: it is the negative control.
   */
  DUPLICATING_NETWORK,
  /**
   * The network corrupts some AppendEntries in transit without breaking their checksum (it bumps
   * {@code prevLogTerm} or {@code leaderCommit}), so followers accept entries or commit indexes
   * the leader never sent.
   */
  MUTATING_NETWORK,
  /**
   * A node drops the log prefix a snapshot will cover as soon as it starts writing the snapshot,
   * not once the snapshot is durable: a crash in between leaves entries that neither the log nor
   * any snapshot holds.
   */
  EAGER_COMPACTION,
  /**
   * The state machine's snapshot writer writes the state as it is when the writer runs, not the
   * state it was asked to capture: a slow snapshot write labels a later state with an earlier
   * index, so a node restored from it has applied commands twice.
   */
  UNPINNED_SNAPSHOT,
  /**
   * The clock the protocol times its leader lease with counts the node's ticks (ticks times the
   * tick interval), as the lease did before it read a monotonic clock. A leader whose loop stalls
   * fires at most a few catch-up ticks afterwards, so its clock falls behind real time and it
   * serves {@code LEASE} reads long after the followers stopped honouring its lease and elected
   * another leader: reads miss committed entries.
   */
  TICK_LEASE,
  /**
   * A node grants votes and pre-votes as soon as it starts (the protocol's start-up quiet period
   * is skipped through {@code RaftProtocol.skipStartQuietPeriod()}). A follower that acknowledged
   * the leader and restarts quickly then helps elect another leader while the first still counts
   * on it to ignore candidates: the first serves stale {@code LEASE} reads.
   */
  EAGER_VOTES_AFTER_RESTART;

  /** Whether the variant breaks something that only runs with snapshots on. */
  boolean needsSnapshots() {
    return this == EAGER_COMPACTION || this == UNPINNED_SNAPSHOT;
  }

  /** The name used on the command line, such as {@code lying-sync}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The variant named {@code name} on the command line.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static BrokenVariant fromCliName(String name) {
    for (BrokenVariant v : values()) {
      if (v.cliName().equals(name)) {
        return v;
      }
    }
    StringBuilder known = new StringBuilder();
    for (BrokenVariant v : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(v.cliName());
    }
    throw new IllegalArgumentException("unknown variant '" + name + "'; known: " + known);
  }
}
