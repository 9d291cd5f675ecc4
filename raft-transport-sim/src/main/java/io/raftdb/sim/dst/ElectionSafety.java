package io.raftdb.sim.dst;

import java.util.HashMap;
import java.util.Map;

/** Election Safety (thesis §3.4): over the whole run, at most one node is leader in each term. */
final class ElectionSafety {
  private final Map<Long, String> leaderOfTerm = new HashMap<>();

  /** {@code node} is leader in {@code term} right now. */
  void leader(String node, long term) {
    String earlier = leaderOfTerm.putIfAbsent(term, node);
    if (earlier != null && !earlier.equals(node)) {
      throw new InvariantViolation(InvariantFamily.ELECTION_SAFETY,
          "two leaders in term " + term + ": " + earlier + " and " + node, earlier, node);
    }
  }

  /** How many terms had a leader. */
  int termsWithLeader() {
    return leaderOfTerm.size();
  }
}
