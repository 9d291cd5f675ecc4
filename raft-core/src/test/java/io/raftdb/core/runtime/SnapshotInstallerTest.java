package io.raftdb.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.RaftConfig;
import io.raftdb.core.protocol.Outbound;
import io.raftdb.core.protocol.RaftProtocol;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.snapshot.FileSnapshotStorage;
import io.raftdb.message.InstallSnapshot;
import io.raftdb.message.InstallSnapshotResponse;
import io.raftdb.storage.HardState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower's side of InstallSnapshot against a leader gone wrong (or a forged peer): a
 * snapshot larger than the bound, or a chunk at a negative offset or whose end overflows, is
 * refused without an answer, and what was received so far is discarded (here: the temporary
 * file in the snapshot directory is deleted).
 */
@Timeout(60)
class SnapshotInstallerTest {
  private static final NodeId LEADER = NodeId.of("n1");
  private static final NodeId SELF = NodeId.of("n2");
  private static final int CHUNK = 600;

  @TempDir
  Path dir;

  private FileSnapshotStorage store;
  private RaftProtocol protocol;

  @BeforeEach
  void open() {
    store = FileSnapshotStorage.open(dir);
    protocol = new RaftProtocol(0, SELF, List.of(LEADER, SELF), RaftConfig.defaults(),
        new MemoryLogStorage(), HardState.INITIAL, new SplittableRandom(1), () -> 0L);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aSnapshotLargerThanTheBoundIsRefusedAndItsPartialTransferDiscarded() throws IOException {
    SnapshotInstaller installer = new SnapshotInstaller(protocol, store, 0, s -> { }, 1_000);
    assertEquals(List.of((long) CHUNK), nextOffsets(installer.accept(List.of(chunk(10, 0)))));
    assertEquals(1, filesInDirectory(), "the transfer's temporary file");

    assertEquals(List.of(), nextOffsets(installer.accept(List.of(chunk(10, CHUNK)))),
        "the chunk past 1000 bytes is refused without an answer");
    assertEquals(0, filesInDirectory(), "the partial transfer is discarded");

    assertEquals(List.of(), nextOffsets(installer.accept(List.of(chunk(10, CHUNK),
        chunk(10, 0)))), "later chunks of that snapshot are ignored: no restart at once");
    assertEquals(0, filesInDirectory());

    assertEquals(List.of((long) CHUNK), nextOffsets(installer.accept(List.of(chunk(20, 0)))),
        "another snapshot is received again");
  }

  @Test
  void aChunkAtANegativeOffsetIsRefusedAndThePartialTransferDiscarded() throws IOException {
    SnapshotInstaller installer = new SnapshotInstaller(protocol, store, 0, s -> { });
    assertEquals(List.of((long) CHUNK), nextOffsets(installer.accept(List.of(chunk(10, 0)))));

    assertEquals(List.of(), nextOffsets(installer.accept(List.of(chunk(10, -1)))));
    assertEquals(0, filesInDirectory(), "the partial transfer is discarded");

    assertEquals(List.of((long) CHUNK), nextOffsets(installer.accept(List.of(chunk(10, 0)))),
        "the snapshot itself is not refused for good");
  }

  @Test
  void aChunkWhoseEndOverflowsIsRefused() throws IOException {
    SnapshotInstaller installer = new SnapshotInstaller(protocol, store, 0, s -> { });
    assertEquals(List.of((long) CHUNK), nextOffsets(installer.accept(List.of(chunk(10, 0)))));

    assertEquals(List.of(), nextOffsets(installer.accept(
        List.of(chunk(10, Long.MAX_VALUE - CHUNK / 2)))));
    assertEquals(0, filesInDirectory(), "the partial transfer is discarded");
  }

  /** A chunk of {@value #CHUNK} bytes of snapshot {@code index}@1, never the last. */
  private static InstallSnapshot chunk(long index, long offset) {
    return new InstallSnapshot(0, LEADER, 1, index, 1, offset, new byte[CHUNK], false);
  }

  private static List<Long> nextOffsets(List<Outbound> answers) {
    return answers.stream().map(o -> ((InstallSnapshotResponse) o.message()).nextOffset())
        .toList();
  }

  private long filesInDirectory() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    }
  }
}
