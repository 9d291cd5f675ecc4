package io.raftdb.sim.dst;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.message.LogEntry;
import io.raftdb.storage.HardState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each checker accepts what Raft allows and throws on what it forbids. */
class InvariantCheckersTest {
  private static final List<String> NAMES = List.of("n1", "n2", "n3");

  private static LogEntry entry(long index, long term, String payload) {
    return LogEntry.command(index, term, payload.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void electionSafetyAllowsOneLeaderPerTermAndCatchesASecond() {
    ElectionSafety check = new ElectionSafety();
    check.leader("n1", 3);
    check.leader("n1", 3);
    check.leader("n2", 4);
    InvariantViolation v = assertThrows(InvariantViolation.class, () -> check.leader("n3", 3));
    assertEquals(InvariantFamily.ELECTION_SAFETY, v.family());
    assertEquals(List.of("n1", "n3"), v.nodes());
  }

  @Test
  void logMatchingCatchesOnePositionWithDifferentHistories() {
    LogMatching check = new LogMatching();
    LogMirror a = new LogMirror();
    LogMirror b = new LogMirror();
    check.written("n1", 1, 1, a.append(entry(1, 1, "x")));
    check.written("n2", 1, 1, b.append(entry(1, 1, "x")));
    check.written("n1", 2, 2, a.append(entry(2, 2, "y")));
    // n2 has the same (2, 2) after a different entry 1: the histories differ.
    LogMirror c = new LogMirror();
    c.append(entry(1, 1, "other"));
    long prefix = c.append(entry(2, 2, "y"));
    InvariantViolation v = assertThrows(InvariantViolation.class,
        () -> check.written("n3", 2, 2, prefix));
    assertEquals(InvariantFamily.LOG_MATCHING, v.family());
  }

  @Test
  void logMatchingAcceptsAConflictingEntryOfAnotherTermAtTheSameIndex() {
    LogMatching check = new LogMatching();
    LogMirror a = new LogMirror();
    LogMirror b = new LogMirror();
    check.written("n1", 1, 1, a.append(entry(1, 1, "x")));
    check.written("n2", 1, 2, b.append(entry(1, 2, "y")));
    b.truncateFrom(1);
    assertDoesNotThrow(() -> check.written("n2", 1, 1, b.append(entry(1, 1, "x"))));
  }

  @Test
  void stateMachineSafetyCatchesADifferentCommittedEntryOrState() {
    CommittedLog log = new CommittedLog(NAMES);
    log.committed(0, entry(1, 1, "x"), 1);
    log.committed(1, entry(1, 1, "x"), 1);
    InvariantViolation v = assertThrows(InvariantViolation.class,
        () -> log.committed(2, entry(1, 2, "z"), 2));
    assertEquals(InvariantFamily.STATE_MACHINE_SAFETY, v.family());
    log.applied(0, 1, 42);
    assertThrows(InvariantViolation.class, () -> log.applied(1, 1, 43));
  }

  @Test
  void leaderCompletenessCatchesALeaderOfALaterTermWithoutACommittedEntry() {
    CommittedLog committed = new CommittedLog(NAMES);
    committed.committed(0, entry(1, 1, "x"), 1);
    LeaderCompleteness check = new LeaderCompleteness(3);
    LogMirror complete = new LogMirror();
    complete.append(entry(1, 1, "x"));
    check.checkLeader(0, "n1", 1, 2, complete, committed);
    LogMirror empty = new LogMirror();
    // A leader of term 1 itself need not be checked against what term 1 committed later.
    check.checkLeader(1, "n2", 1, 1, empty, committed);
    InvariantViolation v = assertThrows(InvariantViolation.class,
        () -> check.checkLeader(2, "n3", 1, 2, empty, committed));
    assertEquals(InvariantFamily.LEADER_COMPLETENESS, v.family());
  }

  @Test
  void durableHardStateCatchesATermGoingBackAndASecondVoteInATerm() {
    DurableHardState check = new DurableHardState(3);
    NodeId n2 = NodeId.of("n2");
    NodeId n3 = NodeId.of("n3");
    check.saved(0, "n1", new HardState(2, null));
    check.saved(0, "n1", new HardState(2, n2));
    check.saved(0, "n1", new HardState(3, null));
    check.saved(0, "n1", new HardState(3, n3));
    InvariantViolation vote = assertThrows(InvariantViolation.class,
        () -> check.saved(0, "n1", new HardState(3, n2)));
    assertEquals(InvariantFamily.DURABLE_HARD_STATE, vote.family());
    assertThrows(InvariantViolation.class, () -> check.saved(0, "n1", new HardState(2, n3)));
  }

  @Test
  void aReadMustSeeEverythingKnownCommittedWhenItWasIssued() {
    LinearizableReads check = new LinearizableReads();
    check.commitKnown(5);
    check.issued(1);
    check.commitKnown(9);
    check.served("n1", 1, 5); // index 9 was committed after the read was issued: fine
    check.issued(2);
    InvariantViolation v = assertThrows(InvariantViolation.class,
        () -> check.served("n2", 2, 8));
    assertEquals(InvariantFamily.LINEARIZABLE_READS, v.family());
  }

  @Test
  void commitAndApplyIndexesMayOnlyAdvanceWithinOneLife() {
    MonotonicIndexes check = new MonotonicIndexes(1);
    check.commitIndex(0, "n1", 4);
    check.applying(0, "n1", 1);
    assertThrows(InvariantViolation.class, () -> check.commitIndex(0, "n1", 3));
    assertThrows(InvariantViolation.class, () -> check.applying(0, "n1", 3));
    check.restarted(0, 0);
    assertDoesNotThrow(() -> check.commitIndex(0, "n1", 0));
    assertDoesNotThrow(() -> check.applying(0, "n1", 1));
  }

  @Test
  void theAppliedIndexJumpsOnlyForwardToASnapshotAndContinuesFromIt() {
    MonotonicIndexes check = new MonotonicIndexes(1);
    check.restarted(0, 20); // restarted from a snapshot of index 20
    check.applying(0, "n1", 21);
    check.restoring(0, "n1", 40);
    assertDoesNotThrow(() -> check.applying(0, "n1", 41));
    InvariantViolation back = assertThrows(InvariantViolation.class,
        () -> check.restoring(0, "n1", 30));
    assertEquals(InvariantFamily.MONOTONIC_INDEXES, back.family());
    assertThrows(InvariantViolation.class, () -> check.restoring(0, "n1", 41));
  }

  @Test
  void aSnapshotMustCoverACommittedEntryAndHoldTheStateEveryNodeHadThere() {
    CommittedLog log = new CommittedLog(NAMES);
    log.committed(0, entry(1, 1, "x"), 1);
    log.committed(0, entry(2, 1, "y"), 1);
    log.applied(0, 1, 11);
    log.applied(0, 2, 22);
    assertDoesNotThrow(() -> log.snapshot(1, 2, 1, 22, "took a snapshot of"));
    InvariantViolation state = assertThrows(InvariantViolation.class,
        () -> log.snapshot(1, 2, 1, 23, "restores a snapshot of"));
    assertEquals(InvariantFamily.STATE_MACHINE_SAFETY, state.family());
    assertEquals(List.of("n1", "n2"), state.nodes());
    assertThrows(InvariantViolation.class, () -> log.snapshot(2, 2, 2, 22, "received"));
    assertThrows(InvariantViolation.class, () -> log.snapshot(2, 3, 1, 33, "received"));
  }

  @Test
  void compactionMustNotOutrunTheNewestDurableSnapshot() {
    assertDoesNotThrow(() -> CompactionSafety.compacting("n1", 30, 30));
    InvariantViolation early = assertThrows(InvariantViolation.class,
        () -> CompactionSafety.compacting("n1", 31, 30));
    assertEquals(InvariantFamily.COMPACTION_SAFETY, early.family());
    assertThrows(InvariantViolation.class, () -> CompactionSafety.compacting("n1", 5, 0));
  }

  @Test
  void aRestartedNodeMustFindNoGapBetweenItsSnapshotAndItsLog() {
    assertDoesNotThrow(() -> CompactionSafety.restarting("n1", 1, 0));
    assertDoesNotThrow(() -> CompactionSafety.restarting("n1", 31, 30));
    assertDoesNotThrow(() -> CompactionSafety.restarting("n1", 12, 30)); // log overlaps it
    InvariantViolation gap = assertThrows(InvariantViolation.class,
        () -> CompactionSafety.restarting("n1", 32, 30));
    assertEquals(InvariantFamily.COMPACTION_SAFETY, gap.family());
    assertTrue(gap.detail().contains("entries 31..31 are lost"), gap.detail());
    assertThrows(InvariantViolation.class, () -> CompactionSafety.restarting("n1", 2, 0));
  }

  @Test
  void aLogRestartingAfterASnapshotCarriesOnFromTheCommittedLogsHashes() {
    CommittedLog committed = new CommittedLog(NAMES);
    LogMirror full = new LogMirror();
    LogMatching matching = new LogMatching();
    for (long i = 1; i <= 3; i++) {
      LogEntry e = entry(i, 1, "e" + i);
      committed.committed(0, e, 1);
      matching.written("n1", i, 1, full.append(e));
    }
    LogMirror restarted = new LogMirror();
    restarted.restartAfter(2, 1, committed.entryHash(2), committed.prefixHash(2));
    long prefix = restarted.append(entry(3, 1, "e3"));
    assertDoesNotThrow(() -> matching.written("n2", 3, 1, prefix));
    assertEquals(2, restarted.base());
    assertThrows(IllegalStateException.class, () -> restarted.truncateFrom(2));
  }
}
