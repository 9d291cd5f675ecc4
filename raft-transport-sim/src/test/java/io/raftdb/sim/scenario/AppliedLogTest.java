package io.raftdb.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The harness's applier checks catch what the labs' applier catches, plus no-op violations. */
class AppliedLogTest {
  private final AppliedLog log =
      new AppliedLog(List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c")));

  @BeforeEach
  void indicesOneAndTwoWentOutAsNoOps() {
    log.replicatedNoOp(1);
    log.replicatedNoOp(2);
  }

  @Test
  void acceptsTheSameCommandsWithNoOpGapsOnEveryServer() {
    for (int node = 0; node < 3; node++) {
      log.record(node, 0, 2, 100); // index 1 is a no-op
      log.record(node, 2, 3, 200);
    }
    log.assertNoErrors();
    assertEquals(new AppliedLog.Committed(3, 200L), log.committedAt(3));
    assertEquals(0, log.committedAt(1).count());
    assertTrue(log.isNoOp(1));
    assertFalse(log.isNoOp(2));
    assertEquals(3, log.serversThatApplied(100));
    assertEquals(3, log.maxIndex());
  }

  @Test
  void acceptsReapplyingTheSameCommandsAfterARestart() {
    log.record(0, 0, 2, 100);
    log.record(0, 0, 2, 100); // a new incarnation starts again from index 0
    log.assertNoErrors();
  }

  @Test
  void reportsDifferentCommandsAtOneIndex() {
    log.record(0, 0, 2, 100);
    log.record(1, 0, 2, 101);
    AssertionFailedError e = assertThrows(AssertionFailedError.class, log::assertNoErrors);
    assertTrue(e.getMessage().contains("commit index=2"), e.getMessage());
  }

  @Test
  void reportsAnApplyOutOfOrder() {
    log.record(0, 0, 3, 100);
    log.record(0, 3, 3, 101);
    AssertionFailedError e = assertThrows(AssertionFailedError.class, log::assertNoErrors);
    assertTrue(e.getMessage().contains("out of order"), e.getMessage());
  }

  @Test
  void reportsACommandWhereAnotherServerSawANoOp() {
    log.record(0, 0, 3, 100); // server a passed over 1 and 2
    log.record(1, 0, 2, 7); // server b applied a command at 2
    assertThrows(AssertionFailedError.class, log::assertNoErrors);
  }

  @Test
  void reportsANoOpWhereAnotherServerAppliedACommand() {
    log.record(1, 0, 2, 7);
    log.record(0, 0, 3, 100);
    assertThrows(AssertionFailedError.class, log::assertNoErrors);
  }

  /** The labs' "apply out of order" for a gap that no no-op explains, even if all make it. */
  @Test
  void reportsAnIndexEveryServerSkipsThatNoNoOpWentOutAt() {
    for (int node = 0; node < 3; node++) {
      log.record(node, 0, 3, 100); // 1 and 2 went out as no-ops
      log.record(node, 3, 5, 200); // but 4 never did
    }
    AssertionFailedError e = assertThrows(AssertionFailedError.class, log::assertNoErrors);
    assertTrue(e.getMessage().contains("apply out of order") && e.getMessage().contains("index 4"),
        e.getMessage());
  }

  @Test
  void acceptsASnapshotOfExactlyTheCommittedCommandsUpToItsIndex() {
    log.record(0, 0, 3, 100);
    log.record(0, 3, 4, 200);
    log.checkSnapshot(1, 3, new TreeMap<>(Map.of(3L, 100L)), "snapshot");
    log.checkSnapshot(0, 4, new TreeMap<>(Map.of(3L, 100L, 4L, 200L)), "snapshot");
    log.assertNoErrors();
  }

  @Test
  void reportsASnapshotHoldingACommandAfterItsIndex() {
    log.record(0, 0, 3, 100);
    log.record(0, 3, 4, 200);
    log.checkSnapshot(0, 3, new TreeMap<>(Map.of(3L, 100L, 4L, 200L)), "snapshot");
    AssertionFailedError e = assertThrows(AssertionFailedError.class, log::assertNoErrors);
    assertTrue(e.getMessage().contains("after its index"), e.getMessage());
  }

  @Test
  void reportsASnapshotMissingACommandUpToItsIndex() {
    log.record(0, 0, 3, 100);
    log.record(0, 3, 4, 200);
    log.checkSnapshot(0, 4, new TreeMap<>(Map.of(4L, 200L)), "snapshot");
    AssertionFailedError e = assertThrows(AssertionFailedError.class, log::assertNoErrors);
    assertTrue(e.getMessage().contains("holds nothing at index 3"), e.getMessage());
  }

  @Test
  void committedAtFailsOnceAnErrorWasRecorded() {
    log.recordError("corrupted command");
    assertThrows(AssertionFailedError.class, () -> log.committedAt(1));
  }

  @Test
  void commandsCarryTheirValueAndDetectCorruptedPadding() {
    byte[] command = LongCommand.padded(42, 5000);
    assertEquals(5000, command.length);
    assertEquals(42, LongCommand.valueOf(command));
    command[4000] ^= 1;
    assertThrows(IllegalArgumentException.class, () -> LongCommand.valueOf(command));
    assertThrows(IllegalArgumentException.class, () -> LongCommand.valueOf(new byte[3]));
  }
}
