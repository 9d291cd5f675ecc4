package io.raftdb.testkit.linearizability;

/** What {@link LinearizabilityChecker} concluded about a history. */
public enum Verdict {
  /** Some order of the operations respects real time and the model. */
  LINEARIZABLE,
  /** No such order exists: the service broke linearizability. */
  NOT_LINEARIZABLE,
  /** The time limit ran out before the search finished; nothing is known. */
  UNKNOWN
}
