package io.raftdb.sim.dst;

import java.util.Locale;

/**
 * Whether the simulated nodes take snapshots and compact their logs. When they do, a node
 * snapshots its state machine every few applied entries, drops the log prefix the snapshot
 * covers once it is durable, ships it in chunks to followers that need it, and restarts from it;
 * see {@link SnapshotPlan}.
 */
public enum SnapshotMode {
  /** Never: the log is never compacted (the simulator as it was before snapshots). */
  OFF,
  /** The seed decides: on in four seeds of five (the default). */
  SEEDED,
  /** Always. */
  ON;

  /** The name used on the command line, such as {@code seeded}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode named {@code name} on the command line.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static SnapshotMode fromCliName(String name) {
    for (SnapshotMode m : values()) {
      if (m.cliName().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown snapshot mode '" + name
        + "'; known: off, seeded, on");
  }
}
