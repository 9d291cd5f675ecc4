package io.raftdb.sim.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.message.EntryKind;
import io.raftdb.message.LogEntry;
import io.raftdb.message.MembershipCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

class WrittenMembershipsTest {
  private static final Membership AB =
      Membership.ofVoters(List.of(NodeId.of("a"), NodeId.of("b")));
  private static final Membership ABC = AB.withLearner(NodeId.of("c"), true);

  private static LogEntry change(long index, Membership m) {
    return new LogEntry(index, 1, EntryKind.MEMBERSHIP, MembershipCodec.encode(m));
  }

  @Test
  void theNewestWrittenEntryCountsAndATruncationTakesItBack() {
    WrittenMemberships w = new WrittenMemberships();
    w.rebuild(AB, 0, new MemoryLogStorage());
    assertEquals(AB, w.expected());
    w.appended(List.of(LogEntry.noOp(1, 1), change(2, ABC)));
    assertEquals(ABC, w.expected());
    w.truncatedFrom(2);
    assertEquals(AB, w.expected());
  }

  @Test
  void aRebuildReadsTheLogAfterTheSnapshotAndAResetTakesTheSnapshots() {
    MemoryLogStorage log = new MemoryLogStorage();
    log.append(List.of(change(1, ABC), LogEntry.noOp(2, 1)));
    WrittenMemberships w = new WrittenMemberships();
    w.rebuild(AB, 0, log);
    assertEquals(ABC, w.expected());
    w.reset(AB);
    assertEquals(AB, w.expected());
    w.reset(null);
    assertNull(w.expected(), "a snapshot of unknown membership: nothing to compare");
  }
}
