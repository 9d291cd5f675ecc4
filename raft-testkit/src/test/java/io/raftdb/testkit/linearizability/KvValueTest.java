package io.raftdb.testkit.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.testkit.linearizability.KvModel.Input;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Values built by appends compare by content, and long append histories stay cheap. */
class KvValueTest {

  @Test
  void valuesCompareByContentHoweverTheyWereBuilt() {
    KvValue pieces = KvValue.EMPTY.append("ab").append("c").append("de");
    assertEquals("abcde", pieces.toString());
    assertTrue(pieces.contentEquals("abcde"));
    assertFalse(pieces.contentEquals("abcdf"));
    assertFalse(pieces.contentEquals("abcd"));
    assertEquals(KvValue.of("abcde"), pieces);
    assertEquals(KvValue.of("abcde").hashCode(), pieces.hashCode());
    assertNotEquals(KvValue.of("abced"), pieces);
    assertTrue(KvValue.EMPTY.contentEquals(""));
  }

  @Test
  void aReportShowsTheEndOfALongValue() {
    String shown = KvValue.of("x".repeat(1000) + "END").shortForm();
    assertTrue(shown.startsWith("(1003 chars)"), shown);
    assertTrue(shown.endsWith("END\""), shown);
  }

  /** TestSpeed's shape at scale: one client, one key, 5,000 appends each followed by a get. */
  @Test
  void aLongSequentialAppendHistoryOnOneKeyIsChecked() {
    List<Operation<Input, String>> history = new ArrayList<>();
    StringBuilder value = new StringBuilder();
    long t = 0;
    for (int i = 0; i < 5_000; i++) {
      String piece = "x 0 " + i + " y";
      history.add(Operation.completed(0, Input.append("k", piece), "", t, t + 1));
      value.append(piece);
      history.add(Operation.completed(0, Input.get("k"), value.toString(), t + 2, t + 3));
      t += 4;
    }
    CheckResult r = LinearizabilityChecker.check(KvModel.INSTANCE, history,
        Duration.ofSeconds(60));
    assertEquals(Verdict.LINEARIZABLE, r.verdict(), r.explanation());
  }
}
