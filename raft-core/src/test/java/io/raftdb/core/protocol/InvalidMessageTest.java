package io.raftdb.core.protocol;

import static io.raftdb.core.protocol.ProtocolCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.Role;
import io.raftdb.message.AppendEntries;
import io.raftdb.message.AppendEntriesResponse;
import io.raftdb.message.InstallSnapshot;
import io.raftdb.message.InstallSnapshotResponse;
import io.raftdb.message.LogEntry;
import io.raftdb.message.RaftMessage;
import io.raftdb.message.RequestVote;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Messages with a valid checksum but contents no correct peer sends are dropped and counted,
 * and leave the receiver exactly as it was and able to go on.
 */
class InvalidMessageTest {
  private ProtocolCluster c;
  private NodeId leader;
  private NodeId follower;
  private NodeId third;
  private long term;

  @BeforeEach
  void groupWithACommittedCommand() {
    c = new ProtocolCluster(3, 211);
    leader = c.electLeader();
    c.tickAll();
    c.node(leader).propose(bytes("a"));
    c.deliverAll();
    follower = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    third = c.ids.stream().filter(id -> !id.equals(leader) && !id.equals(follower)).findFirst()
        .orElseThrow();
    term = c.node(leader).term();
  }

  @Test
  void aPrevLogTermOfMinusOneDoesNotMatchAMissingEntry() {
    // -1 is the log's own "no such entry" answer: it used to match, and the follower set its
    // commit index to 1,000,000 with a log ending at 2.
    rejected(follower, new AppendEntries(0, leader, term, 1_000_000, -1, 1_000_000, 1,
        List.of()));
  }

  @Test
  void aSuccessfulAnswerPastTheLeadersLogIsDropped() {
    rejected(leader, new AppendEntriesResponse(0, follower, term, true, 1L << 40, 0, 0, 1));
  }

  @Test
  void aRefusalPastTheLeadersLogIsIgnoredAsStale() {
    // A follower answers an older leadership's message with its own, newer term and that
    // message's index (found by the simulator): honest, so not counted, but it changes nothing.
    RaftProtocol p = c.node(leader);
    String before = describe(p);
    assertTrue(p.step(new AppendEntriesResponse(0, follower, term, false, 1L << 40, 0, 0, 0)));
    assertEquals(0, p.invalidMessages());
    assertEquals(before, describe(p));
    assertFalse(p.hasReady(), "no probe or snapshot for a stale refusal");
  }

  @Test
  void aSnapshotAtIndexOrTermZeroIsDropped() {
    rejected(follower, new InstallSnapshot(0, leader, term, 0, term, 0, new byte[1], true));
    rejected(follower, new InstallSnapshot(0, leader, term, 5, 0, 0, new byte[1], true));
  }

  @Test
  void aSnapshotAnswerWithANegativeOffsetIsDropped() {
    rejected(leader, new InstallSnapshotResponse(0, follower, term, 1, -5, false));
  }

  @Test
  void entriesThatSkipAnIndexOrGoBackInTermAreDropped() {
    long last = c.node(follower).lastLogIndex();
    rejected(follower, new AppendEntries(0, leader, term, last, term, last, 1,
        List.of(LogEntry.command(last + 1, term, bytes("b")),
            LogEntry.command(last + 3, term, bytes("c")))));
    rejected(follower, new AppendEntries(0, leader, term + 1, last, term, last, 1,
        List.of(LogEntry.command(last + 1, term + 1, bytes("b")),
            LogEntry.command(last + 2, term, bytes("c")))));
  }

  @Test
  void indexArithmeticCannotOverflow() {
    rejected(follower, new AppendEntries(0, leader, term, Long.MAX_VALUE - 1, term, 0, 1,
        List.of(LogEntry.command(Long.MAX_VALUE, term, bytes("b")))));
    rejected(follower, new AppendEntries(0, leader, term, 1, term, Long.MIN_VALUE, 1, List.of()));
  }

  @Test
  void aSecondLeaderInTheLeadersOwnTermIsDropped() {
    rejected(leader, new AppendEntries(0, follower, term, 0, 0, 0, 1, List.of()));
    assertEquals(Role.LEADER, c.node(leader).role());
  }

  @Test
  void aSecondLeaderInATermWhoseLeaderTheFollowerKnowsIsDropped() {
    rejected(follower, new AppendEntries(0, third, term, 0, 0, 0, 1, List.of()));
    assertEquals(leader, c.node(follower).leader());
  }

  @Test
  void aVoteRequestForALogPositionThatCannotExistIsDropped() {
    rejected(follower, new RequestVote(0, third, term + 1, 0, 3, false, true));
    rejected(follower, new RequestVote(0, third, term + 1, 7, term + 2, false, true));
  }

  @Test
  void anOldTermsMessageIsAnsweredAsStaleNotDroppedAsInvalid() {
    // (found by the simulator: an old leader's entries may contradict what a newer term
    // committed; whatever an older term's message says, it is answered with the newer term and
    // not counted as invalid)
    RaftProtocol p = c.node(follower);
    p.step(new RequestVote(0, third, term + 1, 100, term, false, true));
    long commit = p.commitIndex();
    assertTrue(p.step(new AppendEntries(0, third, term, commit, term, commit, 1, List.of())),
        p.lastInvalidMessage()); // in its own term, a second leader would be invalid
    assertEquals(0, p.invalidMessages());
    assertEquals(term + 1, p.term());
    assertEquals(commit, p.commitIndex());
  }

  @Test
  void anOldLeadersEntriesThatContradictANewerCommitAreAnsweredAsStale() {
    // Found by the simulator: the check "entries passing over our commit index must agree with
    // it" once ran before the term check, and dropped an old leader's message as invalid.
    NodeId a = c.id(1);
    NodeId b = c.id(2);
    RaftProtocol f = new RaftProtocol(0, c.id(3), c.ids, ProtocolCluster.CONFIG,
        new io.raftdb.core.storage.memory.MemoryLogStorage(), new io.raftdb.storage.HardState(0,
            null), new java.util.SplittableRandom(3), () -> 0);
    assertTrue(f.step(new AppendEntries(0, a, 1, 0, 0, 0, 1,
        List.of(LogEntry.command(1, 1, bytes("1")), LogEntry.command(2, 1, bytes("2"))))));
    assertTrue(f.step(new AppendEntries(0, b, 2, 1, 1, 3, 1,
        List.of(LogEntry.command(2, 2, bytes("2'")), LogEntry.command(3, 2, bytes("3'"))))));
    assertEquals(3, f.commitIndex());
    AppendEntries stale = new AppendEntries(0, a, 1, 1, 1, 1, 2,
        List.of(LogEntry.command(2, 1, bytes("2")), LogEntry.command(3, 1, bytes("3")),
            LogEntry.command(4, 1, bytes("4"))));
    assertTrue(f.step(stale), f.lastInvalidMessage());
    assertEquals(0, f.invalidMessages());
    assertEquals(3, f.lastLogIndex());
  }

  @Test
  void droppedMessagesAreCountedAndNamed() {
    RaftProtocol p = c.node(follower);
    p.step(new AppendEntries(0, leader, -3, 0, 0, 0, 1, List.of()));
    p.step(new AppendEntries(0, leader, term, -1, 0, 0, 1, List.of()));
    assertEquals(2, p.invalidMessages());
    assertTrue(p.lastInvalidMessage().contains("AppendEntries from " + leader),
        p.lastInvalidMessage());
    assertTrue(p.lastInvalidMessage().contains("prevLogIndex -1"), p.lastInvalidMessage());
  }

  /**
   * Steps {@code m} into {@code to}: it must be refused without changing anything, and the
   * group must still commit afterwards.
   */
  private void rejected(NodeId to, RaftMessage m) {
    RaftProtocol p = c.node(to);
    String before = describe(p);
    long dropped = p.invalidMessages();
    assertFalse(p.step(m), "accepted " + m);
    assertEquals(dropped + 1, p.invalidMessages());
    assertEquals(before, describe(p), "changed by " + m);
    assertFalse(p.hasReady(), "has something to do after " + m);
    for (int i = 0; i < ProtocolCluster.CONFIG.heartbeatTicks() + 1; i++) {
      c.tickAll();
    }
    NodeId now = c.soleLeader();
    long commit = c.node(now).commitIndex();
    c.node(now).propose(bytes("after"));
    c.deliverAll();
    for (int i = 0; i < ProtocolCluster.CONFIG.heartbeatTicks() + 1; i++) {
      c.tickAll(); // followers learn the commit index from the next heartbeat
    }
    for (NodeId id : c.ids) {
      assertEquals(commit + 1, c.node(id).commitIndex(), id + " after " + m);
    }
  }

  private static String describe(RaftProtocol p) {
    return p.role() + " t" + p.term() + " leader=" + p.leader() + " last=" + p.lastLogIndex()
        + " commit=" + p.commitIndex();
  }
}
