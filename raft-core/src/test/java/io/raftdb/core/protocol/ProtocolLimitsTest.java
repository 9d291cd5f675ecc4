package io.raftdb.core.protocol;

import static io.raftdb.core.protocol.ProtocolCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.Role;
import io.raftdb.message.AppendEntries;
import io.raftdb.message.LogEntry;
import io.raftdb.core.storage.ForwardingLogStorage;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.storage.HardState;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What the protocol does at the limits of its log and of the runtime's apply backlog. */
class ProtocolLimitsTest {
  private static final NodeId SELF = NodeId.of("n1");
  private static final NodeId LEADER = NodeId.of("n2");

  @Test
  void aFollowerRefusesAnEntryItsLogCannotStoreInsteadOfFailingToStoreIt() {
    RaftProtocol p = new RaftProtocol(0, SELF, List.of(SELF, LEADER, NodeId.of("n3")),
        ProtocolCluster.CONFIG, new SmallLog(100), new HardState(0, null),
        new SplittableRandom(1), () -> 0);
    AppendEntries big = new AppendEntries(0, LEADER, 1, 0, 0, 0, 1,
        List.of(LogEntry.command(1, 1, new byte[200])));
    assertFalse(p.step(big));
    assertTrue(p.lastInvalidMessage().contains("larger than this node's log"),
        p.lastInvalidMessage());
    assertTrue(p.step(new AppendEntries(0, LEADER, 1, 0, 0, 0, 1,
        List.of(LogEntry.command(1, 1, new byte[10])))));
    assertEquals(1, p.ready().entries().size());
  }

  @Test
  void aLeaderRefusesToProposeWhatItsLogCannotStore() {
    RaftProtocol p = new RaftProtocol(0, SELF, List.of(SELF), ProtocolCluster.CONFIG,
        new SmallLog(100), new HardState(0, null), new SplittableRandom(1), () -> 0);
    while (p.role() != Role.CANDIDATE) {
      p.tick(); // until the only voter campaigns
    }
    p.advance(p.ready());
    assertThrows(IllegalArgumentException.class, () -> p.propose(new byte[200]));
    p.propose(new byte[10]);
  }

  @Test
  void committedEntriesWaitWhileTheRuntimeHasNoRoomAndAtLeastOneGoesOutWhenItHasSome() {
    ProtocolCluster c = new ProtocolCluster(1, 5);
    NodeId id = c.id(1);
    RaftProtocol p = c.node(id);
    c.electLeader();
    p.limitHandOut(0);
    for (int i = 0; i < 5; i++) {
      p.propose(bytes("command " + i));
    }
    c.process();
    long committed = p.commitIndex();
    int appliedBefore = c.applied.get(id).size();
    assertTrue(committed > appliedBefore, "commands committed");
    assertFalse(p.hasReady(), "nothing to hand out without room");

    p.limitHandOut(1); // smaller than any entry: one goes out all the same
    c.process();
    assertEquals(appliedBefore + 1, c.applied.get(id).size());
    p.limitHandOut(Long.MAX_VALUE);
    c.process();
    assertEquals(committed, c.applied.get(id).size());
  }

  /** A memory log that, like a Chronicle log with small blocks, holds only small entries. */
  private static final class SmallLog extends ForwardingLogStorage {
    private final long max;

    SmallLog(long max) {
      super(new MemoryLogStorage());
      this.max = max;
    }

    @Override
    public long maxEntryBytes() {
      return max;
    }
  }
}
