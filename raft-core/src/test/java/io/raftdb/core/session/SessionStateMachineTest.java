package io.raftdb.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftdb.StateMachine;
import io.raftdb.message.ClientReply;
import io.raftdb.message.CommandBatch;
import io.raftdb.message.EntryKind;
import io.raftdb.message.LogEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session table around a state machine: each command of a session applies once. */
class SessionStateMachineTest {
  private static final long TIMEOUT = 10_000;

  /** Appends every command to a list; its result is the list's length. */
  static class Journal implements StateMachine {
    final List<String> applied = new ArrayList<>();

    @Override
    public byte[] apply(long index, byte[] command) {
      applied.add(new String(command, StandardCharsets.UTF_8));
      return ByteBuffer.allocate(4).putInt(applied.size()).array();
    }

    @Override
    public byte[] query(byte[] query) {
      return new byte[0];
    }

    @Override
    public SnapshotWriter captureSnapshot() {
      List<String> pinned = List.copyOf(applied);
      return out -> out.write(String.join("\n", pinned).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void restoreSnapshot(InputStream in) throws IOException {
      String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      applied.clear();
      if (!s.isEmpty()) {
        applied.addAll(List.of(s.split("\n")));
      }
    }
  }

  private final Journal journal = new Journal();
  private final SessionStateMachine machine = new SessionStateMachine(journal);
  private long index;

  private List<byte[]> apply(SessionEntry... entries) {
    List<LogEntry> log = new ArrayList<>();
    for (SessionEntry e : entries) {
      log.add(new LogEntry(++index, 1, EntryKind.SESSION, e.encode()));
    }
    return machine.applyEntries(log);
  }

  private long register(long now) {
    byte[] outcome = apply(SessionEntry.register(now, TIMEOUT, 100)).get(0);
    assertEquals(ClientReply.Status.OK, SessionOutcome.status(outcome));
    return SessionOutcome.sessionId(outcome);
  }

  private static SessionEntry command(long now, long session, long seq, long acked, String c) {
    return SessionEntry.command(now, session, seq, acked, c.getBytes(StandardCharsets.UTF_8));
  }

  private static int resultOf(byte[] outcome) {
    assertEquals(ClientReply.Status.OK, SessionOutcome.status(outcome));
    return ByteBuffer.wrap(SessionOutcome.body(outcome)).getInt();
  }

  private static SessionEntry commands(long now, long session, long first, String... cs) {
    List<byte[]> bytes = new ArrayList<>();
    for (String c : cs) {
      bytes.add(c.getBytes(StandardCharsets.UTF_8));
    }
    return SessionEntry.commands(now, session, first, first, CommandBatch.encodeCommands(bytes));
  }

  /** The results of a request's commands in one entry, or -status for one not OK. */
  private static List<Integer> resultsOf(byte[] outcome) {
    assertEquals(ClientReply.Status.OK, SessionOutcome.status(outcome));
    return CommandBatch.decodeOutcomes(SessionOutcome.body(outcome)).stream()
        .map(o -> o.status() == ClientReply.Status.OK ? ByteBuffer.wrap(o.body()).getInt()
            : -o.status().code())
        .toList();
  }

  /** A state machine with an applyBatch of its own: session entries reach it in one batch. */
  private static final class BatchingJournal extends Journal {
    int batches;

    @Override
    public List<byte[]> applyBatch(List<Command> commands) {
      batches++;
      List<byte[]> results = new ArrayList<>();
      commands.forEach(c -> results.add(apply(c.index(), c.bytes())));
      return results;
    }
  }

  /**
   * A request's commands in one entry apply once each, in order, at that entry's index; retries
   * overlapping them, in the same apply batch or a later one, get the cached replies. Both for a
   * state machine applying one command per call and for one with its own applyBatch.
   */
  @Test
  void aRequestsCommandsInOneEntryApplyOnceEachAndRetriesGetTheirReplies() {
    for (Journal j : List.of(new Journal(), new BatchingJournal())) {
      SessionStateMachine m = new SessionStateMachine(j);
      byte[] registered = m.applyEntries(List.of(new LogEntry(1, 1, EntryKind.SESSION,
          SessionEntry.register(1000, TIMEOUT, 100).encode()))).get(0);
      long s = SessionOutcome.sessionId(registered);
      List<LogEntry> log = List.of(
          new LogEntry(2, 1, EntryKind.SESSION, commands(1001, s, 1, "a", "b").encode()),
          new LogEntry(3, 1, EntryKind.SESSION, commands(1001, s, 1, "a", "b", "c").encode()));
      List<byte[]> out = m.applyEntries(log);
      assertEquals(List.of(1, 2), resultsOf(out.get(0)));
      assertEquals(List.of(1, 2, 3), resultsOf(out.get(1)), "a retry with one more");
      List<byte[]> later = m.applyEntries(List.of(new LogEntry(4, 1, EntryKind.SESSION,
          command(1002, s, 2, 1, "b").encode()), new LogEntry(5, 1, EntryKind.SESSION,
          commands(1002, s, 3, "c", "d").encode())));
      assertEquals(2, resultOf(later.get(0)), "one of them retried alone");
      assertEquals(List.of(3, 4), resultsOf(later.get(1)));
      assertEquals(List.of("a", "b", "c", "d"), j.applied);
    }
  }

  /**
   * Where nobody waits for the outcomes (a follower's batch), commands are applied and cached all
   * the same, and no outcome is made; a retry on a replica that leads later gets the cached
   * results. Both for a state machine applying one command per call and for one with its own
   * applyBatch.
   */
  @Test
  void aBatchNobodyWaitsForAppliesAndCachesWithoutMakingOutcomes() {
    for (Journal j : List.of(new Journal(), new BatchingJournal())) {
      SessionStateMachine m = new SessionStateMachine(j);
      long s = SessionOutcome.sessionId(m.applyEntries(List.of(new LogEntry(1, 1,
          EntryKind.SESSION, SessionEntry.register(1000, TIMEOUT, 100).encode()))).get(0));
      List<byte[]> results = new ArrayList<>();
      m.applyEntries(List.of(
          new LogEntry(2, 1, EntryKind.SESSION, commands(1001, s, 1, "a", "b").encode()),
          new LogEntry(3, 1, EntryKind.SESSION, command(1001, s, 3, 1, "c").encode())),
          results, false, () -> false);
      assertEquals(2, results.size());
      assertNull(results.get(0));
      assertNull(results.get(1));
      List<byte[]> retried = m.applyEntries(List.of(new LogEntry(4, 2, EntryKind.SESSION,
          commands(1002, s, 1, "a", "b", "c").encode())));
      assertEquals(List.of(1, 2, 3), resultsOf(retried.get(0)));
      assertEquals(List.of("a", "b", "c"), j.applied);
    }
  }

  /**
   * A cached result is written into snapshots as the outcome it stands for, OK then the result,
   * as when outcomes were cached whole: snapshots read the same either way. A cached reply that
   * is not a success is corrupt.
   */
  @Test
  void aCachedResultIsWrittenAsItsSuccessfulOutcome() throws IOException {
    long s = register(1000);
    apply(command(1001, s, 1, 1, "a"));
    byte[] table = machine.encodedTable();
    byte ok = (byte) ClientReply.Status.OK.code();
    assertArrayEquals(new byte[] {1, 5, ok, 0, 0, 0, 1},
        Arrays.copyOfRange(table, table.length - 7, table.length), "sequence, length, outcome");
    byte[] snapshot = snapshot(machine);
    int status = 12 + table.length - 5; // after the magic and the table's length
    assertEquals(ok, snapshot[status]);
    snapshot[status] = (byte) ClientReply.Status.REJECTED.code();
    assertThrows(IOException.class,
        () -> machine.restoreSnapshot(new ByteArrayInputStream(snapshot)));
  }

  @Test
  void aRequestsCommandsOnAnUnknownSessionAreEachRefusedAndAMalformedBatchAsAWhole() {
    long s = register(1000);
    int expired = -ClientReply.Status.SESSION_EXPIRED.code();
    assertEquals(List.of(expired, expired), resultsOf(apply(commands(1001, s + 1, 1, "a", "b"))
        .get(0)));
    byte[] malformed = apply(SessionEntry.commands(1001, s, 1, 1, new byte[] {1, 5, 0})).get(0);
    assertEquals(ClientReply.Status.REJECTED, SessionOutcome.status(malformed));
    byte[] overflowing = apply(commands(1001, s, Long.MAX_VALUE, "a", "b")).get(0);
    assertEquals(ClientReply.Status.REJECTED, SessionOutcome.status(overflowing));
    assertEquals(List.of(), journal.applied);
  }

  @Test
  void aRetryInALaterBatchGetsTheOriginalReplyWithoutApplying() {
    long s = register(1000);
    assertEquals(1, resultOf(apply(command(1001, s, 1, 1, "a")).get(0)));
    assertEquals(2, resultOf(apply(command(1002, s, 2, 1, "b")).get(0)));
    assertEquals(1, resultOf(apply(command(1003, s, 1, 1, "a")).get(0)), "the cached reply");
    assertEquals(List.of("a", "b"), journal.applied);
  }

  @Test
  void aRetryInTheSameBatchAppliesOnce() {
    long s = register(1000);
    List<byte[]> out = apply(command(1001, s, 1, 1, "a"), command(1001, s, 1, 1, "a"),
        command(1001, s, 2, 1, "b"));
    assertEquals(1, resultOf(out.get(0)));
    assertEquals(1, resultOf(out.get(1)));
    assertEquals(2, resultOf(out.get(2)));
    assertEquals(List.of("a", "b"), journal.applied);
  }

  @Test
  void anAcknowledgedCommandIsNeverAppliedAgain() {
    long s = register(1000);
    apply(command(1001, s, 1, 1, "a"));
    apply(command(1002, s, 2, 2, "b")); // the client has the reply of 1
    byte[] late = apply(command(1003, s, 1, 1, "a")).get(0);
    assertEquals(ClientReply.Status.REJECTED, SessionOutcome.status(late));
    assertEquals(List.of("a", "b"), journal.applied);
  }

  @Test
  void aSessionExpiresByTheLogsClockOnly() {
    long s = register(1000);
    long other = register(1000);
    apply(command(1000 + TIMEOUT, other, 1, 1, "keeps the clock moving"));
    assertEquals(2, resultOf(apply(command(1000 + TIMEOUT, s, 1, 1, "in time")).get(0)));
    apply(command(1000 + 2 * TIMEOUT, other, 2, 2, "later"));
    byte[] expired = apply(command(1002 + 2 * TIMEOUT, s, 2, 2, "too late")).get(0);
    assertEquals(ClientReply.Status.SESSION_EXPIRED, SessionOutcome.status(expired));
    assertEquals(List.of("keeps the clock moving", "in time", "later"), journal.applied);
  }

  @Test
  void aLeaderWhoseClockIsBehindCannotMoveTimeBackwards() {
    long s = register(50_000);
    apply(command(50_000 + TIMEOUT + 1, register(50_000 + TIMEOUT + 1), 1, 1, "x"));
    // A new leader stamps an older time: the session stays expired.
    byte[] outcome = apply(command(1, s, 1, 1, "y")).get(0);
    assertEquals(ClientReply.Status.SESSION_EXPIRED, SessionOutcome.status(outcome));
  }

  @Test
  void aRegistrationBeyondTheLimitEndsTheIdlestSession() {
    long first = register(1);
    long second = register(2);
    apply(command(3, first, 1, 1, "first is busy"));
    apply(SessionEntry.register(4, TIMEOUT, 2)); // the limit is 2: the idlest goes
    byte[] outcome = apply(command(5, second, 1, 1, "x")).get(0);
    assertEquals(ClientReply.Status.SESSION_EXPIRED, SessionOutcome.status(outcome));
    assertEquals(2, resultOf(apply(command(5, first, 2, 2, "still here")).get(0)));
  }

  @Test
  void aMalformedSessionEntryIsRefusedOnEveryReplicaAlike() {
    List<byte[]> out = machine.applyEntries(List.of(
        new LogEntry(1, 1, EntryKind.SESSION, new byte[] {1, 99, 0})));
    assertEquals(ClientReply.Status.REJECTED, SessionOutcome.status(out.get(0)));
  }

  /**
   * A state machine that applies one command per call can be stopped right after the command
   * during which a snapshot was asked for, and the rest applied later, as if in one batch.
   */
  @Test
  void applyingPausesAfterTheCommandDuringWhichPauseBecameTrue() {
    long session = register(1);
    List<LogEntry> log = new ArrayList<>();
    for (int seq = 1; seq <= 4; seq++) {
      log.add(new LogEntry(++index, 1, EntryKind.SESSION,
          command(2, session, seq, 1, "c" + seq).encode()));
    }
    log.add(2, LogEntry.command(++index, 1, "plain".getBytes(StandardCharsets.UTF_8)));
    List<byte[]> results = new ArrayList<>();
    int applied = machine.applyEntries(log, results, true, () -> journal.applied.size() == 2);
    assertEquals(2, applied, "stops right after the second command");
    assertEquals(List.of("c1", "c2"), journal.applied);
    applied += machine.applyEntries(log.subList(applied, log.size()), results, true,
        () -> false);
    assertEquals(log.size(), applied);
    assertEquals(List.of("c1", "c2", "plain", "c3", "c4"), journal.applied);
    assertEquals(5, results.size());
    assertEquals(5, resultOf(results.get(4)), "c4 is the fifth command applied");
    assertArrayEquals(ByteBuffer.allocate(4).putInt(3).array(), results.get(2));
  }

  /** A state machine with its own applyBatch gets the whole batch: there is no point to stop. */
  @Test
  void aBatchingStateMachineIsNeverPaused() {
    SessionStateMachine batching = new SessionStateMachine(new Journal() {
      @Override
      public List<byte[]> applyBatch(List<Command> commands) {
        List<byte[]> results = new ArrayList<>();
        commands.forEach(c -> results.add(apply(c.index(), c.bytes())));
        return results;
      }
    });
    List<LogEntry> log = List.of(LogEntry.command(1, 1, new byte[] {'a'}),
        LogEntry.command(2, 1, new byte[] {'b'}));
    List<byte[]> results = new ArrayList<>();
    assertEquals(2, batching.applyEntries(log, results, true, () -> true));
    assertEquals(2, results.size());
  }

  @Test
  void plainCommandsPassStraightThrough() {
    List<byte[]> out = machine.applyEntries(List.of(
        LogEntry.command(1, 1, "p".getBytes(StandardCharsets.UTF_8)), LogEntry.noOp(2, 1)));
    assertEquals(1, out.size());
    assertArrayEquals(ByteBuffer.allocate(4).putInt(1).array(), out.get(0));
  }

  /** The retried command of a session is still recognised by a replica restored from a snapshot. */
  @Test
  void aSnapshotCarriesTheSessionsSoRetriesStayExactlyOnce() throws IOException {
    long s = register(1000);
    apply(command(1001, s, 1, 1, "a"));
    byte[] snapshot = snapshot(machine);

    Journal restoredJournal = new Journal();
    SessionStateMachine restored = new SessionStateMachine(restoredJournal);
    restored.restoreSnapshot(new ByteArrayInputStream(snapshot));
    assertArrayEquals(machine.encodedTable(), restored.encodedTable());
    List<byte[]> out = restored.applyEntries(List.of(new LogEntry(10, 2, EntryKind.SESSION,
        command(1002, s, 1, 1, "a").encode())));
    assertEquals(1, resultOf(out.get(0)));
    assertEquals(List.of("a"), restoredJournal.applied);
  }

  @Test
  void aSnapshotWrittenBeforeSessionsExistedRestoresWithNone() throws IOException {
    machine.restoreSnapshot(new ByteArrayInputStream("x\ny".getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("x", "y"), journal.applied);
    assertEquals(0, machine.sessionCount());
  }

  @Test
  void aCorruptSessionTableFailsTheRestoreAndKeepsTheOldState() throws IOException {
    long s = register(1000);
    apply(command(1001, s, 1, 1, "a"));
    byte[] snapshot = snapshot(machine);
    snapshot[14] ^= 0x7F; // inside the table
    byte[] before = machine.encodedTable();
    assertThrows(IOException.class,
        () -> machine.restoreSnapshot(new ByteArrayInputStream(snapshot)));
    assertArrayEquals(before, machine.encodedTable());
    assertEquals(List.of("a"), journal.applied);
  }

  @Test
  void tooManyUnacknowledgedRepliesAreRefused() {
    long s = register(1000);
    for (int i = 1; i <= SessionTable.MAX_UNACKED_REPLIES; i++) {
      apply(command(1000, s, i, 1, "c" + i));
    }
    byte[] outcome = apply(command(1000, s, SessionTable.MAX_UNACKED_REPLIES + 1, 1, "over"))
        .get(0);
    assertEquals(ClientReply.Status.REJECTED, SessionOutcome.status(outcome));
    assertEquals(SessionTable.MAX_UNACKED_REPLIES, journal.applied.size());
  }

  private static byte[] snapshot(SessionStateMachine m) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.captureSnapshot().writeTo(out);
    return out.toByteArray();
  }
}
