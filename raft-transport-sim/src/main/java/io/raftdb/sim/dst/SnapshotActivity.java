package io.raftdb.sim.dst;

/**
 * What the snapshot machinery did in one run, for reports and soak summaries.
 *
 * @param taken snapshots the nodes took of their own state and published
 * @param received snapshots that arrived complete from a leader and were published
 * @param installed received snapshots that replaced a node's log and state
 * @param restarts restarts that loaded a snapshot
 * @param compactions times a node dropped a log prefix its snapshot covered
 * @param transfers transfers a leader started
 * @param chunks InstallSnapshot chunks a leader sent (resends included)
 * @param abandoned transfers given up on and reported to the protocol
 */
public record SnapshotActivity(long taken, long received, long installed, long restarts,
    long compactions, long transfers, long chunks, long abandoned) {

  /** The activity of a run without snapshots. */
  public static final SnapshotActivity NONE = new SnapshotActivity(0, 0, 0, 0, 0, 0, 0, 0);

  /** This activity plus {@code other}'s, for totals over many runs. */
  public SnapshotActivity plus(SnapshotActivity other) {
    return new SnapshotActivity(taken + other.taken, received + other.received,
        installed + other.installed, restarts + other.restarts,
        compactions + other.compactions, transfers + other.transfers, chunks + other.chunks,
        abandoned + other.abandoned);
  }

  /** One line, e.g. {@code snapshots taken=12 received=2 installed=2 ...}. */
  public String describe() {
    return "snapshots taken=" + taken + " received=" + received + " installed=" + installed
        + " restarts=" + restarts + " compactions=" + compactions + " transfers=" + transfers
        + " chunks=" + chunks + " abandoned=" + abandoned;
  }
}
