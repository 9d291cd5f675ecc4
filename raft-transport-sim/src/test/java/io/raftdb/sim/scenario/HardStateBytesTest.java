package io.raftdb.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftdb.NodeId;
import io.raftdb.core.storage.file.FileMetaStorage;
import io.raftdb.storage.HardState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness counts a memory node's term and vote as the bytes RaftDB's hard-state file holds. */
class HardStateBytesTest {

  @Test
  void countsWhatTheHardStateFileHolds(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("hard-state");
    for (HardState state : new HardState[] {new HardState(1, null),
        new HardState(7, NodeId.of("s2")), new HardState(Long.MAX_VALUE, NodeId.of("node-17"))}) {
      try (FileMetaStorage meta = FileMetaStorage.open(file)) {
        meta.save(state);
      }
      assertEquals(Files.size(file), HardStateBytes.of(state), "bytes of " + state);
    }
  }
}
