package io.raftdb.testkit.linearizability;

import java.util.List;

/**
 * A sequential specification that {@link LinearizabilityChecker} checks histories against: the
 * state a service starts in and what each operation does to it.
 *
 * @param <S> the state; immutable, and it must implement {@code equals} and {@code hashCode},
 *     because the checker remembers which (operations done, state) pairs it has explored
 * @param <I> what an operation asks
 * @param <O> what it answers
 */
public interface Model<S, I, O> {

  /** The state before any operation. */
  S initialState();

  /**
   * The state after {@code input} answered {@code output} in {@code state}, or {@code null} if
   * that answer is impossible there. An operation of unknown outcome comes with a {@code null}
   * output, which must be accepted as any answer; {@code null} then means it cannot have taken
   * effect in that state (the checker may also leave it out altogether).
   */
  S step(S state, I input, O output);

  /**
   * Splits a history into parts that touch independent state (for a key-value store: one part per
   * key), each checked on its own. Linearizability is compositional, so this loses nothing and
   * makes the search far smaller. The default is the whole history as one part.
   */
  default List<List<Operation<I, O>>> partition(List<Operation<I, O>> history) {
    return List.of(history);
  }

  /** How a state reads in a failure report. */
  default String describe(S state) {
    return String.valueOf(state);
  }

  /** How one operation reads in a failure report. */
  default String describe(I input, O output) {
    return input + " -> " + (output == null ? "?" : output);
  }
}
