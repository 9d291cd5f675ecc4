package io.raftdb.testkit.linearizability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Checks a recorded history of client operations for linearizability: whether some order of the
 * operations, each placed between its call and its return, is a legal sequential run of a
 * {@link Model}. Operations of unknown outcome may be placed anywhere after their call, or
 * nowhere.
 *
 * <pre>{@code
 * CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, history, Duration.ofSeconds(10));
 * assertNotEquals(Verdict.NOT_LINEARIZABLE, r.verdict(), r.explanation());
 * }</pre>
 *
 * <p>The problem is NP-complete in general; the search is exponential only in how many operations
 * overlap, and gives up with {@link Verdict#UNKNOWN} when the time limit runs out. Each part of
 * {@link Model#partition} is searched on its own; a failure reports the smallest failing part.
 */
public final class LinearizabilityChecker {
  private static final int REPORTED_PREFIX = 10;

  private LinearizabilityChecker() {}

  /** Checks {@code history} against {@code model}, for at most {@code timeLimit}. */
  public static <S, I, O> CheckResult check(Model<S, I, O> model,
      List<Operation<I, O>> history, Duration timeLimit) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(history, "history");
    long deadline = System.nanoTime() + timeLimit.toNanos();
    List<Operation<I, O>> smallestFailing = null;
    int[] failingOrder = null;
    int unfinished = 0;
    for (List<Operation<I, O>> part : model.partition(history)) {
      if (smallestFailing != null && part.size() >= smallestFailing.size()) {
        continue;
      }
      PartitionSearch<S, I, O> search = new PartitionSearch<>(model, part, deadline);
      switch (search.run()) {
        case LINEARIZABLE -> { }
        case UNKNOWN -> unfinished++;
        case NOT_LINEARIZABLE -> {
          smallestFailing = part;
          failingOrder = search.longestOrder();
        }
      }
    }
    if (smallestFailing != null) {
      return new CheckResult(Verdict.NOT_LINEARIZABLE,
          explain(model, smallestFailing, failingOrder));
    }
    if (unfinished > 0) {
      return new CheckResult(Verdict.UNKNOWN, "the time limit of " + timeLimit + " ran out with "
          + unfinished + " part(s) of " + history.size() + " operations unchecked");
    }
    return new CheckResult(Verdict.LINEARIZABLE, history.size() + " operations linearizable");
  }

  /**
   * The failing part: the end of the longest order found, the state it leads to, and the
   * operations that would have to come next (those called before the first of the rest returned)
   * none of which the model allows there.
   */
  private static <S, I, O> String explain(Model<S, I, O> model, List<Operation<I, O>> part,
      int[] order) {
    long origin = part.stream().mapToLong(Operation::callNanos).min().orElse(0);
    StringBuilder sb = new StringBuilder();
    sb.append("a part of ").append(part.size()).append(" operations is not linearizable; ")
        .append("the longest legal order found places ").append(order.length).append(":\n");
    S state = model.initialState();
    BitSet placed = new BitSet(part.size());
    for (int i = 0; i < order.length; i++) {
      Operation<I, O> op = part.get(order[i]);
      state = model.step(state, op.input(), op.output());
      placed.set(order[i]);
      if (i >= order.length - REPORTED_PREFIX) {
        sb.append("  ").append(i + 1).append(". ").append(line(model, op, origin)).append('\n');
      }
    }
    sb.append("state after it: ").append(model.describe(state)).append('\n')
        .append("none of these can come next:\n");
    long firstReturn = Long.MAX_VALUE;
    for (int i = placed.nextClearBit(0); i < part.size(); i = placed.nextClearBit(i + 1)) {
      firstReturn = Math.min(firstReturn, part.get(i).returnNanos());
    }
    List<Operation<I, O>> next = new ArrayList<>();
    for (int i = placed.nextClearBit(0); i < part.size(); i = placed.nextClearBit(i + 1)) {
      if (part.get(i).callNanos() <= firstReturn) {
        next.add(part.get(i));
      }
    }
    next.sort(Comparator.comparingLong(Operation::callNanos));
    next.forEach(op -> sb.append("  ").append(line(model, op, origin)).append('\n'));
    return sb.toString();
  }

  private static <S, I, O> String line(Model<S, I, O> model, Operation<I, O> op, long origin) {
    String ret = op.outcomeKnown() ? millis(op.returnNanos() - origin) : "never";
    return "client " + op.clientId() + " [" + millis(op.callNanos() - origin) + " .. " + ret
        + "] " + model.describe(op.input(), op.output());
  }

  private static String millis(long nanos) {
    return String.format("%.3f ms", nanos / 1e6);
  }
}
