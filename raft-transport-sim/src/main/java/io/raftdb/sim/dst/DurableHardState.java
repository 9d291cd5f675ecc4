package io.raftdb.sim.dst;

import io.raftdb.storage.HardState;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The persisted term never decreases and the persisted vote never changes within a term, across
 * crashes too: each save is compared with the last one the node made in any earlier life, which
 * the simulator remembers even when a broken disk does not.
 */
final class DurableHardState {
  private final HardState[] lastSaved;

  DurableHardState(int nodes) {
    lastSaved = new HardState[nodes];
  }

  /** Node index {@code node}, named {@code name}, saved {@code state}. */
  void saved(int node, String name, HardState state) {
    HardState before = lastSaved[node];
    if (before != null) {
      if (state.term() < before.term()) {
        throw new InvariantViolation(InvariantFamily.DURABLE_HARD_STATE, name
            + " persisted term " + state.term() + " after term " + before.term(), name);
      }
      if (state.term() == before.term() && before.votedFor() != null
          && !Objects.equals(before.votedFor(), state.votedFor())) {
        Set<String> involved = new LinkedHashSet<>(List.of(name, before.votedFor().value(),
            String.valueOf(state.votedFor())));
        throw new InvariantViolation(InvariantFamily.DURABLE_HARD_STATE, name
            + " persisted a vote for " + state.votedFor() + " in term " + state.term()
            + " after voting for " + before.votedFor() + " in that term",
            involved.toArray(new String[0]));
      }
    }
    lastSaved[node] = state;
  }
}
