package io.raftdb.testkit.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A service brings its own model: here a counter whose increments return the new total. */
class CustomModelTest {

  /** Increment by the input; the output is the total afterwards. */
  private static final Model<Long, Long, Long> COUNTER = new Model<>() {
    @Override
    public Long initialState() {
      return 0L;
    }

    @Override
    public Long step(Long total, Long add, Long after) {
      long next = total + add;
      return after == null || after == next ? next : null;
    }
  };

  /**
   * A queue of numbers: a non-negative input is offered, {@code -1} takes the head (the output),
   * waiting while the queue is empty, so a take has no possible effect on an empty queue.
   */
  private static final Model<List<Long>, Long, Long> QUEUE = new Model<>() {
    @Override
    public List<Long> initialState() {
      return List.of();
    }

    @Override
    public List<Long> step(List<Long> queue, Long input, Long taken) {
      if (input >= 0) {
        List<Long> longer = new ArrayList<>(queue);
        longer.add(input);
        return List.copyOf(longer);
      }
      if (queue.isEmpty() || (taken != null && !taken.equals(queue.get(0)))) {
        return null;
      }
      return List.copyOf(queue.subList(1, queue.size()));
    }
  };

  private static CheckResult check(List<Operation<Long, Long>> history) {
    return LinearizabilityChecker.check(COUNTER, history, Duration.ofSeconds(10));
  }

  @Test
  void overlappingIncrementsMayReturnTheirTotalsInEitherOrder() {
    assertEquals(Verdict.LINEARIZABLE, check(List.of(
        Operation.completed(0, 1L, 3L, 0, 10),
        Operation.completed(1, 2L, 2L, 1, 9))).verdict());
  }

  @Test
  void twoIncrementsCannotBothSeeTheSameTotal() {
    CheckResult r = check(List.of(
        Operation.completed(0, 1L, 1L, 0, 10),
        Operation.completed(1, 1L, 1L, 1, 9)));
    assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict());
    assertEquals(true, r.explanation().contains("client 1"), r.explanation());
  }

  /**
   * A take that timed out while the queue was still empty: it can have happened nowhere in this
   * history without stealing the element another take got, so it must be left out, which an
   * unknown outcome allows even though the model accepts it nowhere.
   */
  @Test
  void anUnknownOperationThatFitsNowhereIsLeftOut() {
    CheckResult r = LinearizabilityChecker.check(QUEUE, List.of(
        Operation.unknown(0, -1L, 0),
        Operation.completed(1, 7L, null, 2, 3),
        Operation.completed(1, -1L, 7L, 4, 5)), Duration.ofSeconds(10));
    assertEquals(Verdict.LINEARIZABLE, r.verdict(), r.explanation());
  }

  @Test
  void aTakeOfAnElementNeverOfferedIsCaught() {
    CheckResult r = LinearizabilityChecker.check(QUEUE, List.of(
        Operation.completed(1, 7L, null, 0, 1),
        Operation.completed(1, -1L, 8L, 2, 3)), Duration.ofSeconds(10));
    assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict(), r.explanation());
  }
}
