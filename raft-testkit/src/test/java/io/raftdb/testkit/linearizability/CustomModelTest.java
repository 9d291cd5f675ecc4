package io.raftdb.testkit.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
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
}
