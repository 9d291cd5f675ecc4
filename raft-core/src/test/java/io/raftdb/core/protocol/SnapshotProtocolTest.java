package io.raftdb.core.protocol;

import static io.raftdb.core.protocol.ProtocolCluster.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.LogPosition;
import io.raftdb.NodeId;
import io.raftdb.message.AppendEntries;
import io.raftdb.message.InstallSnapshot;
import io.raftdb.message.LogEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snapshots and InstallSnapshot in the protocol (thesis chapter 5). */
class SnapshotProtocolTest {

  @Test
  void aFollowerBehindTheCompactedLogReceivesTheSnapshotAndCatchesUp_5_3() {
    ProtocolCluster c = new ProtocolCluster(3, 61);
    NodeId leader = c.electLeader();
    NodeId lagging = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    c.isolated.add(lagging);
    for (int i = 0; i < 50; i++) {
      c.node(leader).propose(bytes("before" + i));
    }
    c.deliverAll();
    c.tickAll();
    long snapshotIndex = c.takeSnapshot(leader);
    assertEquals(snapshotIndex + 1, c.logs.get(leader).firstIndex());
    c.isolated.clear();
    int[] snapshotsSent = {0};
    for (int i = 0; i < 10; i++) {
      for (RaftProtocol p : c.nodes.values()) {
        p.tick();
      }
      c.deliverAll(o -> {
        if (o.message() instanceof InstallSnapshot) {
          snapshotsSent[0]++;
        }
        return true;
      });
    }
    assertEquals(1, snapshotsSent[0], "one snapshot, then plain replication");
    c.node(leader).propose(bytes("after"));
    c.deliverAll();
    c.tickAll();
    assertEquals(c.appliedCommands(leader), c.appliedCommands(lagging));
    assertTrue(c.appliedCommands(lagging).contains("after"));
    assertEquals(snapshotIndex + 1, c.logs.get(lagging).firstIndex(),
        "the follower's log restarts after the snapshot");
  }

  @Test
  void aSnapshotTheFollowerAlreadyHasKeepsItsLog_5_3() {
    ProtocolCluster c = new ProtocolCluster(3, 67);
    NodeId leader = c.electLeader();
    for (int i = 0; i < 5; i++) {
      c.node(leader).propose(bytes("x" + i));
    }
    c.deliverAll();
    c.tickAll();
    NodeId follower = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    RaftProtocol f = c.node(follower);
    long last = f.lastLogIndex();
    long commit = f.commitIndex();
    assertFalse(f.installSnapshot(commit - 1, f.term(), f.membership()), "an old snapshot changes nothing");
    assertEquals(last, f.lastLogIndex());
    assertEquals(commit, f.commitIndex());
  }

  @Test
  void installingASnapshotResetsTheLogAndAsksForARestore() {
    ProtocolCluster c = new ProtocolCluster(3, 71);
    RaftProtocol f = c.node(2);
    f.step(new AppendEntries(0, c.id(1), 1, 0, 0, 0, 1, List.of(LogEntry.noOp(1, 1))));
    f.advance(persist(c, c.id(2), f.ready()));
    f.step(new InstallSnapshot(0, c.id(1), 1, 100, 1, 0, new byte[0], true));
    Ready rd = f.ready();
    assertEquals(1, rd.snapshotChunks().size());
    f.advance(rd);
    assertTrue(f.installSnapshot(100, 1, f.membership()));
    rd = f.ready();
    assertEquals(new LogPosition(100, 1), rd.logReset());
    assertEquals(new LogPosition(100, 1), rd.snapshotToRestore());
    assertTrue(rd.committedEntries().isEmpty(), "entries up to the snapshot come from it");
    f.advance(persist(c, c.id(2), rd));
    assertEquals(100, f.commitIndex());
    assertEquals(100, f.lastLogIndex());
    assertNull(f.ready().logReset());
  }

  private static Ready persist(ProtocolCluster c, NodeId id, Ready rd) {
    if (rd.logReset() != null) {
      c.logs.get(id).reset(rd.logReset().index(), rd.logReset().term());
    }
    if (!rd.entries().isEmpty()) {
      c.logs.get(id).append(rd.entries());
    }
    c.logs.get(id).sync();
    return rd;
  }
}
