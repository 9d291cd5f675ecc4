package io.raftdb.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.Membership;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import io.raftdb.core.storage.snapshot.FileSnapshotStorage;
import io.raftdb.message.LogEntry;
import io.raftdb.storage.HardState;
import io.raftdb.storage.StorageException;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A node starting from the snapshots on its disk (thesis §5, issue 4): it loads the newest valid
 * snapshot and replays the log after it. A damaged newest snapshot is detected and skipped, and
 * the node falls back to the older valid one, or to replaying the log from its start; when the
 * log no longer covers the entries after the newest valid snapshot, the node refuses to start
 * with an error that says so. A damaged snapshot is never loaded into the state machine.
 *
 * <p>Every case is one node with a log of commands 1..25 (the command at index i adds i to a
 * total) and snapshots of the total at indices 10 (55) and 20 (210) in a
 * {@link FileSnapshotStorage}; the node ends at 325 whichever way it gets there, and the state
 * machine records which totals it was restored from.
 */
@Timeout(60)
class SnapshotStartupTest {
  private static final NodeId SELF = NodeId.of("n1");
  private static final long LAST_INDEX = 25;
  private static final long OLDER = 10;
  private static final long NEWER = 20;

  @TempDir
  Path dir;

  private final List<RaftNode> started = new ArrayList<>();

  @AfterEach
  void closeNodes() {
    for (RaftNode node : started) {
      node.close();
    }
  }

  /** Ways a snapshot file can be damaged after it was written and renamed into place. */
  enum Damage {
    /** A bit flipped in the state: the one a reader that trusted the bytes would load. */
    STATE_BIT_FLIPPED,
    /** A bit flipped in the header's index field. */
    HEADER_BIT_FLIPPED,
    /** The last bytes lost (a torn write the rename did not prevent, a truncating tool). */
    TRUNCATED,
    /** Nothing left of the file. */
    EMPTIED,
    /** Bytes added after the checksum. */
    EXTENDED
  }

  @Test
  void anIntactNewestSnapshotIsLoadedAndTheLogAfterItReplayed() throws IOException {
    storeSnapshots();
    TotalMachine machine = new TotalMachine();

    RaftNode node = start(log(OLDER), machine);

    assertEquals(List.of(total(NEWER)), machine.restoredTotals());
    assertEquals(total(LAST_INDEX), totalAfterCatchingUp(node));
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void aDamagedNewestSnapshotIsSkippedForTheOlderValidOne(Damage damage) throws IOException {
    storeSnapshots();
    damage(snapshotFile(NEWER), damage);
    TotalMachine machine = new TotalMachine();

    // The log still holds everything after the older snapshot (compaction lags snapshots).
    RaftNode node = start(log(OLDER), machine);

    assertEquals(List.of(total(OLDER)), machine.restoredTotals(),
        "the node must load the older snapshot, and only it");
    assertEquals(total(LAST_INDEX), totalAfterCatchingUp(node));
  }

  @Test
  void withEverySnapshotDamagedTheNodeReplaysTheWholeLog() throws IOException {
    storeSnapshots();
    damage(snapshotFile(NEWER), Damage.STATE_BIT_FLIPPED);
    damage(snapshotFile(OLDER), Damage.TRUNCATED);
    TotalMachine machine = new TotalMachine();

    RaftNode node = start(log(0), machine);

    assertEquals(List.of(), machine.restoredTotals());
    assertEquals(total(LAST_INDEX), totalAfterCatchingUp(node));
  }

  @Test
  void aDamagedNewestSnapshotThatTheLogNoLongerBridgesStopsTheStart() throws IOException {
    storeSnapshots();
    damage(snapshotFile(NEWER), Damage.STATE_BIT_FLIPPED);
    TotalMachine machine = new TotalMachine();

    // The log was compacted through the newer snapshot: entries 11..20 exist nowhere valid.
    StorageException e = assertThrows(StorageException.class, () -> start(log(NEWER), machine));

    assertTrue(e.getMessage().contains("ends at index " + OLDER)
        && e.getMessage().contains("starts at " + (NEWER + 1)), e.getMessage());
    assertEquals(List.of(), machine.restoredTotals(), "nothing may be loaded before refusing");
  }

  @Test
  void everySnapshotDamagedWithACompactedLogStopsTheStart() throws IOException {
    storeSnapshots();
    damage(snapshotFile(NEWER), Damage.HEADER_BIT_FLIPPED);
    damage(snapshotFile(OLDER), Damage.EMPTIED);
    TotalMachine machine = new TotalMachine();

    StorageException e = assertThrows(StorageException.class, () -> start(log(NEWER), machine));

    assertTrue(e.getMessage().contains("no valid snapshot"), e.getMessage());
    assertEquals(List.of(), machine.restoredTotals());
  }

  // ------------------------------------------------------------------ set-up

  private Path snapshotDir() {
    return dir.resolve("snapshots");
  }

  /** Stores the snapshots at {@link #OLDER} and {@link #NEWER}, as the node once took them. */
  private void storeSnapshots() {
    try (FileSnapshotStorage store = FileSnapshotStorage.open(snapshotDir())) {
      for (long index : new long[] {OLDER, NEWER}) {
        long total = total(index);
        store.save(index, 1, Membership.ofVoters(List.of(SELF)), out -> new DataOutputStream(out).writeLong(total));
      }
      assertEquals(NEWER, store.latest().orElseThrow().index());
    }
  }

  private Path snapshotFile(long index) {
    Path file = snapshotDir().resolve("snapshot-" + index + "-1.snap");
    assertTrue(Files.exists(file), "expected the store to have written " + file);
    return file;
  }

  /** Commands 1..{@link #LAST_INDEX} in term 1, compacted through {@code compactedThrough}. */
  private static MemoryLogStorage log(long compactedThrough) {
    MemoryLogStorage log = new MemoryLogStorage();
    List<LogEntry> entries = new ArrayList<>();
    for (long i = 1; i <= LAST_INDEX; i++) {
      entries.add(LogEntry.command(i, 1, TotalMachine.encode(i)));
    }
    log.append(entries);
    if (compactedThrough > 0) {
      log.compactPrefix(compactedThrough);
    }
    log.sync();
    return log;
  }

  private RaftNode start(MemoryLogStorage log, TotalMachine machine) {
    RaftNode node = RaftNode.builder()
        .id(SELF)
        .members(List.of(SELF))
        .stateMachine(machine)
        .transport(new LoopbackNetwork().transport(SELF))
        .logStorage(log)
        .metaStorage(new MemoryMetaStorage(new HardState(1, SELF)))
        .snapshotStorage(FileSnapshotStorage.open(snapshotDir()))
        .config(LoopbackCluster.FAST)
        .build().start();
    started.add(node);
    return node;
  }

  /** The total once the node leads and has applied its whole log (a linearizable read). */
  private static long totalAfterCatchingUp(RaftNode node) {
    LoopbackCluster.await(() -> node.status().isLeader(), "the single node to lead");
    return TotalMachine.decode(Futures.valueOf(
        node.query(new byte[0], ReadConsistency.LINEARIZABLE)));
  }

  /** 1 + 2 + ... + index: the total after the commands up to {@code index}. */
  private static long total(long index) {
    return index * (index + 1) / 2;
  }

  private static void damage(Path file, Damage damage) throws IOException {
    long size = Files.size(file);
    switch (damage) {
      case STATE_BIT_FLIPPED -> flipBit(file, size - 4 - 1); // the total's last byte, before the CRC
      case HEADER_BIT_FLIPPED -> flipBit(file, 4 + 1 + 7); // the index field's low byte
      case TRUNCATED -> {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(size - 3);
        }
      }
      case EMPTIED -> Files.write(file, new byte[0]);
      case EXTENDED -> Files.write(file, new byte[] {0, 0, 0, 0}, StandardOpenOption.APPEND);
      default -> throw new IllegalArgumentException(damage.name());
    }
  }

  private static void flipBit(Path file, long offset) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, offset);
      b.flip();
      byte flipped = (byte) (b.get(0) ^ 0x01);
      ch.write(ByteBuffer.wrap(new byte[] {flipped}), offset);
      ch.force(true);
    }
  }
}
