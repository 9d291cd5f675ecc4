package io.raftdb.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.StateMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The harness's snapshot applier: {@link RecordingStateMachine} snapshots and restores its
 * applied commands, and {@link AppliedLog} checks restores the way the labs' snapshot applier
 * does.
 */
class RecordingStateMachineTest {
  private final AppliedLog log =
      new AppliedLog(List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c")));

  @BeforeEach
  void indexOneWentOutAsANoOp() {
    log.replicatedNoOp(1);
  }

  @Test
  void aCapturedSnapshotIgnoresCommandsAppliedAfterTheCapture() throws IOException {
    RecordingStateMachine machine = new RecordingStateMachine(log, 0);
    machine.apply(2, LongCommand.of(20)); // index 1 is a no-op
    machine.apply(3, LongCommand.of(30));
    StateMachine.SnapshotWriter writer = machine.captureSnapshot();
    for (long i = 4; i < 100; i++) { // far enough to make the history grow its arrays
      machine.apply(i, LongCommand.of(i * 10));
    }
    assertEquals(Map.of(2L, 20L, 3L, 30L), contents(writer));
    log.assertNoErrors();
  }

  @Test
  void aRestoredServerHoldsTheSnapshotAndContinuesAfterItsLastCommand() throws IOException {
    RecordingStateMachine leader = new RecordingStateMachine(log, 0);
    leader.apply(2, LongCommand.of(20));
    leader.apply(3, LongCommand.of(30));
    byte[] snapshot = bytes(leader.captureSnapshot());

    RecordingStateMachine follower = new RecordingStateMachine(log, 1);
    follower.restoreSnapshot(new ByteArrayInputStream(snapshot));
    assertEquals(new AppliedLog.Committed(2, 30L), log.committedAt(3));
    assertTrue(log.isNoOp(1), "index 1 is not in the snapshot, so it was a no-op");

    log.replicatedNoOp(4);
    follower.apply(5, LongCommand.of(50)); // 4 is a no-op
    log.assertNoErrors();
    assertEquals(Map.of(2L, 20L, 3L, 30L, 5L, 50L), contents(follower.captureSnapshot()));
    assertEquals(contents(follower.captureSnapshot()), decode(follower.query(new byte[0])));
  }

  @Test
  void reportsACommandAppliedAgainAfterARestore() throws IOException {
    RecordingStateMachine machine = new RecordingStateMachine(log, 0);
    machine.restoreSnapshot(new ByteArrayInputStream(snapshotOf(Map.of(2L, 20L, 3L, 30L))));
    machine.apply(3, LongCommand.of(30));
    AssertionFailedError e = assertThrows(AssertionFailedError.class, log::assertNoErrors);
    assertTrue(e.getMessage().contains("out of order"), e.getMessage());
  }

  @Test
  void reportsASnapshotThatLeavesOutACommittedCommand() throws IOException {
    new RecordingStateMachine(log, 1).apply(2, LongCommand.of(20));
    new RecordingStateMachine(log, 0)
        .restoreSnapshot(new ByteArrayInputStream(snapshotOf(Map.of(3L, 30L))));
    AssertionFailedError e = assertThrows(AssertionFailedError.class, log::assertNoErrors);
    assertTrue(e.getMessage().contains("without the command 20"), e.getMessage());
  }

  @Test
  void reportsASnapshotThatDisagreesWithAnotherServer() throws IOException {
    new RecordingStateMachine(log, 1).apply(2, LongCommand.of(20));
    new RecordingStateMachine(log, 0)
        .restoreSnapshot(new ByteArrayInputStream(snapshotOf(Map.of(2L, 21L))));
    AssertionFailedError e = assertThrows(AssertionFailedError.class, log::assertNoErrors);
    assertTrue(e.getMessage().contains("commit index=2"), e.getMessage());
  }

  @Test
  void reportsARestoreThatTakesTheStateBack() throws IOException {
    RecordingStateMachine machine = new RecordingStateMachine(log, 0);
    machine.apply(2, LongCommand.of(20));
    machine.apply(3, LongCommand.of(30));
    machine.restoreSnapshot(new ByteArrayInputStream(snapshotOf(Map.of(2L, 20L))));
    AssertionFailedError e = assertThrows(AssertionFailedError.class, log::assertNoErrors);
    assertTrue(e.getMessage().contains("went back"), e.getMessage());
  }

  @Test
  void refusesMalformedSnapshots() throws IOException {
    byte[] good = snapshotOf(Map.of(2L, 20L, 3L, 30L));
    RecordingStateMachine machine = new RecordingStateMachine(log, 0);
    byte[] badMagic = good.clone();
    badMagic[0] ^= 1;
    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    byte[] hugeCount = good.clone();
    ByteBuffer.wrap(hugeCount).putInt(4, Integer.MAX_VALUE);
    byte[] backwards = snapshotOf(Map.of(2L, 20L, 3L, 30L));
    ByteBuffer.wrap(backwards).putLong(8 + 16, 2); // the second index equals the first
    for (byte[] bad : List.of(badMagic, truncated, trailing, hugeCount, backwards)) {
      assertThrows(IOException.class,
          () -> machine.restoreSnapshot(new ByteArrayInputStream(bad)));
    }
    log.assertNoErrors();
  }

  // ------------------------------------------------------------------ helpers

  /** The serialised form of a history holding {@code commands}. */
  private static byte[] snapshotOf(Map<Long, Long> commands) throws IOException {
    CommandHistory history = new CommandHistory();
    new TreeMap<>(commands).forEach(history::append);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    history.capture().writeTo(out);
    return out.toByteArray();
  }

  private static byte[] bytes(StateMachine.SnapshotWriter writer) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.writeTo(out);
    return out.toByteArray();
  }

  private static SortedMap<Long, Long> contents(StateMachine.SnapshotWriter writer)
      throws IOException {
    return decode(bytes(writer));
  }

  private static SortedMap<Long, Long> decode(byte[] bytes) throws IOException {
    return CommandHistory.read(new ByteArrayInputStream(bytes)).capture().toMap();
  }
}
