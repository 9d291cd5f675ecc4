package io.raftdb.sim.dst;

import java.util.HashMap;
import java.util.Map;

/**
 * Linearizable reads (thesis §6.4): when a client issues a read, every index some node already
 * knows to be committed may have been acknowledged to some client, so the state the read is
 * served from must include it. Served means: the node's state machine has applied at least the
 * read index the leader confirmed, and is read at whatever it has applied then.
 */
final class LinearizableReads {
  private final Map<Long, Long> mustSee = new HashMap<>();
  private long highestKnownCommit;
  private long served;

  /** Some node knows {@code commitIndex} is committed. */
  void commitKnown(long commitIndex) {
    highestKnownCommit = Math.max(highestKnownCommit, commitIndex);
  }

  /** A client issues read {@code id} now. */
  void issued(long id) {
    mustSee.put(id, highestKnownCommit);
  }

  /** The read will never be served (not the leader, leadership lost, node crashed). */
  void abandoned(long id) {
    mustSee.remove(id);
  }

  /** Node {@code name} serves read {@code id} from its state after {@code appliedIndex}. */
  void served(String name, long id, long appliedIndex) {
    Long required = mustSee.remove(id);
    if (required == null) {
      throw new IllegalStateException("read " + id + " served twice or never issued");
    }
    served++;
    if (appliedIndex < required) {
      throw new InvariantViolation(InvariantFamily.LINEARIZABLE_READS, name + " served read #"
          + id + " from its state at index " + appliedIndex + " but index " + required
          + " was known committed before the read was issued", name);
    }
  }

  /** How many reads were served. */
  long served() {
    return served;
  }
}
