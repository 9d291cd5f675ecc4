package io.raftdb.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.Role;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.message.AppendEntries;
import io.raftdb.message.LogEntry;
import io.raftdb.storage.HardState;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Written is not durable (pipelined persistence): the protocol counts and hands out only what
 * {@link RaftProtocol#persisted} confirmed, and ignores a confirmation for entries since replaced.
 */
class DurableIndexTest {
  private static final NodeId SELF = NodeId.of("n1");
  private static final NodeId LEADER = NodeId.of("n2");
  private static final List<NodeId> THREE = List.of(SELF, LEADER, NodeId.of("n3"));

  @Test
  void aLeaderCountsItsOwnEntriesOnlyOnceTheyAreDurable() {
    MemoryLogStorage log = new MemoryLogStorage();
    RaftProtocol p = new RaftProtocol(0, SELF, List.of(SELF), ProtocolCluster.CONFIG, log,
        HardState.INITIAL, new SplittableRandom(1), () -> 0);
    while (p.role() != Role.CANDIDATE) {
      p.tick(); // until the only voter campaigns
    }
    write(p, log); // and leads once its term is saved
    assertEquals(Role.LEADER, p.role());
    Ready rd = write(p, log);
    LogEntry noOp = rd.lastEntry();
    assertEquals(0, p.commitIndex(), "written, not yet synced");
    p.persisted(noOp.index(), noOp.term());
    assertEquals(noOp.index(), p.commitIndex());
    assertEquals(List.of(noOp), p.ready().committedEntries());
  }

  @Test
  void aFollowerHandsOutCommittedEntriesOnlyOnceTheyAreDurableHere() {
    MemoryLogStorage log = new MemoryLogStorage();
    RaftProtocol p = follower(log);
    p.step(new AppendEntries(0, LEADER, 1, 0, 0, 2, 1,
        List.of(LogEntry.noOp(1, 1), LogEntry.command(2, 1, new byte[] {7}))));
    Ready rd = write(p, log);
    assertEquals(2, p.commitIndex());
    assertTrue(rd.committedEntries().isEmpty(), "committed but not durable here");
    p.persisted(1, 1);
    assertEquals(1, p.ready().committedEntries().size());
    p.persisted(2, 1);
    assertEquals(2, p.ready().committedEntries().get(0).index());
    assertEquals(2, p.durableIndex());
  }

  @Test
  void aConfirmationForEntriesReplacedSinceSaysNothing() {
    MemoryLogStorage log = new MemoryLogStorage();
    RaftProtocol p = follower(log);
    p.step(new AppendEntries(0, LEADER, 1, 0, 0, 1, 1,
        List.of(LogEntry.noOp(1, 1), LogEntry.command(2, 1, new byte[] {1}),
            LogEntry.command(3, 1, new byte[] {2}))));
    write(p, log);
    p.persisted(1, 1);
    // A new leader overwrites entries 2 and 3 before the sync that covered them returns.
    p.step(new AppendEntries(0, NodeId.of("n3"), 2, 1, 1, 1, 1,
        List.of(LogEntry.noOp(2, 2))));
    write(p, log);
    p.persisted(3, 1);
    assertEquals(1, p.durableIndex(), "entry 3 of term 1 is gone");
    p.persisted(2, 2);
    assertEquals(2, p.durableIndex());
  }

  private static RaftProtocol follower(MemoryLogStorage log) {
    return new RaftProtocol(0, SELF, THREE, ProtocolCluster.CONFIG.withCheckQuorum(false), log,
        HardState.INITIAL, new SplittableRandom(1), () -> 0);
  }

  /** Writes the next ready as a pipelined runtime does: entries in, no sync reported yet. */
  private static Ready write(RaftProtocol p, MemoryLogStorage log) {
    Ready rd = p.ready();
    if (!rd.entries().isEmpty()) {
      long first = rd.entries().get(0).index();
      if (first <= log.lastIndex()) {
        log.truncateSuffix(first);
      }
      log.append(rd.entries());
    }
    p.advance(rd);
    return rd;
  }
}
