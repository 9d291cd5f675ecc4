package io.raftdb.testkit.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.testkit.linearizability.KvModel.Input;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known-good and known-bad key-value histories, with times in milliseconds. */
class LinearizabilityCheckerTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  private final List<Operation<Input, String>> history = new ArrayList<>();

  private void op(int client, Input input, String output, long call, long ret) {
    history.add(Operation.completed(client, input, output, call * 1_000_000, ret * 1_000_000));
  }

  private void lost(int client, Input input, long call) {
    history.add(Operation.unknown(client, input, call * 1_000_000));
  }

  private CheckResult check() {
    return LinearizabilityChecker.check(KvModel.INSTANCE, history, LIMIT);
  }

  private void assertVerdict(Verdict expected) {
    CheckResult r = check();
    assertEquals(expected, r.verdict(), r.explanation());
  }

  @Test
  void aSequentialHistoryIsLinearizable() {
    op(0, Input.put("x", "1"), "", 0, 1);
    op(0, Input.append("x", "2"), "", 2, 3);
    op(0, Input.get("x"), "12", 4, 5);
    op(0, Input.get("y"), "", 6, 7);
    assertVerdict(Verdict.LINEARIZABLE);
  }

  /** During a slow write, once one read has seen the new value no later read sees the old. */
  @Test
  void aReadCannotSeeAnOlderValueThanAReadThatReturnedBeforeIt() {
    op(0, Input.put("x", "1"), "", 0, 1);
    op(1, Input.put("x", "2"), "", 2, 10);
    op(2, Input.get("x"), "2", 3, 4);
    op(3, Input.get("x"), "1", 5, 6);
    assertVerdict(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void concurrentReadsOfOldAndNewValueAreFineWhileTheyOverlapEachOther() {
    op(0, Input.put("x", "1"), "", 0, 1);
    op(1, Input.put("x", "2"), "", 2, 10);
    op(2, Input.get("x"), "2", 3, 6);
    op(3, Input.get("x"), "1", 4, 7);
    assertVerdict(Verdict.LINEARIZABLE);
  }

  /** Two overlapping puts may take effect in either order; a read after both may see either. */
  @Test
  void aReadAfterOverlappingWritesMaySeeEitherOfThem() {
    for (String seen : List.of("1", "2")) {
      history.clear();
      op(0, Input.put("x", "1"), "", 0, 10);
      op(1, Input.put("x", "2"), "", 1, 9);
      op(2, Input.get("x"), seen, 11, 12);
      assertVerdict(Verdict.LINEARIZABLE);
    }
  }

  /** Once both overlapping puts have returned the order is settled: reads cannot flip. */
  @Test
  void readsAfterOverlappingWritesAgreeOnTheWinner() {
    op(0, Input.put("x", "1"), "", 0, 10);
    op(1, Input.put("x", "2"), "", 1, 9);
    op(2, Input.get("x"), "2", 11, 12);
    op(3, Input.get("x"), "1", 13, 14);
    assertVerdict(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void aStaleReadAfterAWriteReturnedIsCaught() {
    op(0, Input.put("x", "1"), "", 0, 1);
    op(1, Input.put("x", "2"), "", 2, 3);
    op(2, Input.get("x"), "1", 4, 5);
    CheckResult r = check();
    assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict());
    assertTrue(r.explanation().contains("get(\"x\") -> \"1\""), r.explanation());
  }

  @Test
  void aLostWriteIsCaught() {
    op(0, Input.append("x", "a"), "", 0, 1);
    op(1, Input.append("x", "b"), "", 2, 3);
    op(2, Input.get("x"), "b", 4, 5);
    assertVerdict(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void aDuplicatedAppendIsCaught() {
    op(0, Input.append("x", "a"), "", 0, 1);
    op(1, Input.get("x"), "aa", 2, 3);
    assertVerdict(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void aReadOfAValueNeverWrittenIsCaught() {
    op(0, Input.put("x", "1"), "", 0, 5);
    op(1, Input.get("x"), "7", 1, 2);
    assertVerdict(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void anUnknownWriteMayHaveHappened() {
    lost(0, Input.append("x", "a"), 0);
    op(1, Input.get("x"), "a", 5, 6);
    op(1, Input.get("x"), "a", 7, 8);
    assertVerdict(Verdict.LINEARIZABLE);
  }

  @Test
  void anUnknownWriteMayNeverHaveHappened() {
    lost(0, Input.append("x", "a"), 0);
    op(1, Input.get("x"), "", 5, 6);
    op(1, Input.append("x", "b"), "", 7, 8);
    op(1, Input.get("x"), "b", 9, 10);
    assertVerdict(Verdict.LINEARIZABLE);
  }

  @Test
  void anUnknownWriteCannotBeSeenBeforeItsCall() {
    op(1, Input.get("x"), "a", 0, 1);
    lost(0, Input.append("x", "a"), 2);
    assertVerdict(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void anUnknownWriteThatWasSeenCannotBeUnseen() {
    lost(0, Input.put("x", "a"), 0);
    op(1, Input.get("x"), "a", 1, 2);
    op(1, Input.get("x"), "", 3, 4);
    assertVerdict(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void aReadOfUnknownOutcomeConstrainsNothing() {
    op(0, Input.put("x", "1"), "", 0, 1);
    lost(1, Input.get("x"), 2);
    op(0, Input.put("x", "2"), "", 3, 4);
    op(2, Input.get("x"), "2", 5, 6);
    assertVerdict(Verdict.LINEARIZABLE);
  }

  /**
   * Sixty timed-out reads pending around a stale one: were they searched, every subset of them
   * would be a distinct set of operations done, and the search could not finish in time.
   */
  @Test
  void manyReadsOfUnknownOutcomeDoNotSlowTheSearch() {
    op(0, Input.put("x", "1"), "", 0, 1);
    for (int i = 0; i < 60; i++) {
      lost(10 + i, Input.get("x"), 2);
    }
    op(0, Input.put("x", "2"), "", 3, 4);
    op(1, Input.get("x"), "1", 5, 6);
    CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, history,
        Duration.ofSeconds(2));
    assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict(), r.explanation());
  }

  @Test
  void keysAreCheckedApartSoOrderAcrossKeysDoesNotMatter() {
    op(0, Input.put("x", "1"), "", 0, 1);
    op(1, Input.get("y"), "", 2, 3);
    op(0, Input.put("y", "1"), "", 4, 5);
    op(1, Input.get("x"), "1", 6, 7);
    assertVerdict(Verdict.LINEARIZABLE);
  }

  @Test
  void aFailureNamesTheSmallestFailingKeyOnly() {
    for (int i = 0; i < 20; i++) {
      op(0, Input.append("big", "" + i), "", 10 * i, 10 * i + 1);
    }
    op(1, Input.put("small", "1"), "", 0, 1);
    op(1, Input.get("small"), "", 2, 3);
    CheckResult r = check();
    assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict());
    assertTrue(r.explanation().contains("\"small\""), r.explanation());
    assertTrue(!r.explanation().contains("\"big\""), r.explanation());
    assertTrue(r.explanation().startsWith("a part of 2 operations"), r.explanation());
  }

  @Test
  void anOperationCannotReturnBeforeItsCall() {
    assertThrows(IllegalArgumentException.class,
        () -> Operation.completed(0, Input.get("x"), "", 5, 4));
  }

  /**
   * Forty overlapping writes of unknown outcome, then a read of a value none wrote: the search
   * must try every subset of them before it can say no.
   */
  @Test
  void aSearchThatOutrunsItsTimeLimitSaysUnknown() {
    for (int i = 0; i < 40; i++) {
      lost(i, Input.put("x", "v" + i), 0);
    }
    op(99, Input.get("x"), "never written", 1, 2);
    CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, history,
        Duration.ofMillis(200));
    assertEquals(Verdict.UNKNOWN, r.verdict(), r.explanation());
  }
}
