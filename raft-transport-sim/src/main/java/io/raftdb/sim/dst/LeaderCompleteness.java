package io.raftdb.sim.dst;

/**
 * Leader Completeness (thesis §3.6): every entry committed in a term is in the log of every
 * leader of a later term. Checked incrementally: each leader (one life of one node, in one term)
 * has been verified up to some index, and each check looks only at entries committed since.
 * Entries a leader's log restarted after (see {@link LogMirror#base()}) are held in its snapshot,
 * which was checked against the committed log when the log restarted.
 */
final class LeaderCompleteness {
  private final long[] leaderTerm;
  private final long[] leaderLife;
  private final long[] verifiedUpTo;

  LeaderCompleteness(int nodes) {
    leaderTerm = new long[nodes];
    leaderLife = new long[nodes];
    verifiedUpTo = new long[nodes];
  }

  /** Some entry at or after {@code index} now has an earlier commit term: look again. */
  void rewind(long index) {
    for (int i = 0; i < verifiedUpTo.length; i++) {
      verifiedUpTo[i] = Math.min(verifiedUpTo[i], index - 1);
    }
  }

  /**
   * Node index {@code node} (in its life {@code life}) is leader of {@code term} with log
   * {@code log}; checks it holds every entry committed before {@code term}.
   */
  void checkLeader(int node, String name, long life, long term, LogMirror log,
      CommittedLog committed) {
    if (leaderTerm[node] != term || leaderLife[node] != life) {
      leaderTerm[node] = term;
      leaderLife[node] = life;
      verifiedUpTo[node] = 0;
    }
    for (long i = Math.max(verifiedUpTo[node], log.base()) + 1; i <= committed.lastIndex(); i++) {
      if (committed.commitTerm(i) < term
          && (log.term(i) != committed.term(i) || log.entryHash(i) != committed.entryHash(i))) {
        throw new InvariantViolation(InvariantFamily.LEADER_COMPLETENESS, name + ", leader of term "
            + term + ", lacks entry " + i + "@" + committed.term(i) + " committed by term "
            + committed.commitTerm(i) + (log.lastIndex() < i ? " (its log ends at "
            + log.lastIndex() + ")" : " (it holds " + i + "@" + log.term(i) + ")"), name);
      }
    }
    verifiedUpTo[node] = committed.lastIndex();
  }
}
