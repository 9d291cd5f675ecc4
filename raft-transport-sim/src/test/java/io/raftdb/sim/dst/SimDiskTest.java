package io.raftdb.sim.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.message.LogEntry;
import io.raftdb.storage.HardState;
import io.raftdb.storage.LogStorage;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimDiskTest {
  private static final HardState VOTED = new HardState(4, NodeId.of("n2"));

  private static void write(LogStorage log, long from, long to) {
    for (long i = from; i <= to; i++) {
      log.append(List.of(LogEntry.noOp(i, 1)));
    }
  }

  @Test
  void aCrashKeepsWhatWasSyncedAndLosesTheRest() {
    SimDisk disk = new SimDisk(BrokenVariant.NONE, new SplittableRandom(1));
    LogStorage before = disk.log();
    write(before, 1, 3);
    before.sync();
    write(before, 4, 5);
    disk.meta().save(VOTED);
    disk.crash();
    assertEquals(3, disk.log().lastIndex());
    assertEquals(VOTED, disk.meta().load());
    assertThrows(IllegalStateException.class, before::lastIndex, "the dead life's log is closed");
  }

  @Test
  void theForgetfulVariantKeepsTheTermButForgetsTheVote() {
    SimDisk disk = new SimDisk(BrokenVariant.FORGETFUL_VOTE, new SplittableRandom(1));
    disk.meta().save(VOTED);
    disk.crash();
    assertEquals(4, disk.meta().load().term());
    assertNull(disk.meta().load().votedFor());
  }

  @Test
  void theLyingVariantLosesSomeSyncedEntriesOnACrash() {
    boolean lost = false;
    for (int seed = 0; seed < 20 && !lost; seed++) {
      SimDisk disk = new SimDisk(BrokenVariant.LYING_SYNC, new SplittableRandom(seed));
      for (long i = 1; i <= 10; i++) {
        write(disk.log(), i, i);
        disk.log().sync();
      }
      disk.crash();
      lost = disk.log().lastIndex() < 10;
    }
    assertTrue(lost, "a lying sync should lose acknowledged entries on some crash");
  }
}
