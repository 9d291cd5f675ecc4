package io.raftdb.testkit.linearizability;

/**
 * One client operation of a recorded history, with its call and return times from
 * {@link System#nanoTime()}.
 *
 * <p>An operation whose outcome the client never learnt (it timed out, or the client gave up)
 * has no output and never returns: {@code output == null} and {@code returnNanos ==
 * Long.MAX_VALUE}. It may have taken effect at any moment after its call, or not at all.
 *
 * @param clientId the client that issued it (for reports only)
 * @param input what the client asked
 * @param output what it got back, or {@code null} if the outcome is unknown
 * @param callNanos when the call started
 * @param returnNanos when it returned, or {@code Long.MAX_VALUE} if the outcome is unknown
 * @param <I> the model's input type
 * @param <O> the model's output type
 */
public record Operation<I, O>(int clientId, I input, O output, long callNanos, long returnNanos) {

  /** Checks that an operation does not return before its call. */
  public Operation {
    if (returnNanos < callNanos) {
      throw new IllegalArgumentException("operation returns (" + returnNanos
          + ") before its call (" + callNanos + ")");
    }
  }

  /** An operation that returned {@code output}. */
  public static <I, O> Operation<I, O> completed(int clientId, I input, O output, long callNanos,
      long returnNanos) {
    return new Operation<>(clientId, input, output, callNanos, returnNanos);
  }

  /** An operation whose outcome is unknown: it may or may not have taken effect. */
  public static <I, O> Operation<I, O> unknown(int clientId, I input, long callNanos) {
    return new Operation<>(clientId, input, null, callNanos, Long.MAX_VALUE);
  }

  /** Whether the client learnt the outcome. */
  public boolean outcomeKnown() {
    return returnNanos != Long.MAX_VALUE;
  }
}
