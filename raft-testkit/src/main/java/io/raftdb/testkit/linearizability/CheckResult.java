package io.raftdb.testkit.linearizability;

import java.util.Objects;

/**
 * The outcome of a linearizability check.
 *
 * @param verdict what the checker concluded
 * @param explanation for {@link Verdict#NOT_LINEARIZABLE}, the smallest part of the history that
 *     cannot be linearized: the longest order of its operations the search could build, and the
 *     operations none of which could come next; for {@link Verdict#UNKNOWN}, how far it got
 */
public record CheckResult(Verdict verdict, String explanation) {

  /** Checks that neither part is {@code null}. */
  public CheckResult {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(explanation, "explanation");
  }

  /** Whether the history was found linearizable. */
  public boolean linearizable() {
    return verdict == Verdict.LINEARIZABLE;
  }
}
