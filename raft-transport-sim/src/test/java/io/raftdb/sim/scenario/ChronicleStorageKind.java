package io.raftdb.sim.scenario;

import io.raftdb.NodeId;
import io.raftdb.core.storage.chronicle.ChronicleLogStorage;
import io.raftdb.core.storage.file.FileMetaStorage;
import io.raftdb.core.storage.snapshot.FileSnapshotStorage;
import io.raftdb.storage.SnapshotInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * RaftDB's on-disk stores: a Chronicle Queue log, a hard-state file and snapshot files, in a
 * temporary directory per node. A crashed node's files stay as they are, as after a
 * {@code kill -9}: what reached the page cache survives, whether or not it was synced. Small
 * blocks and a small free-space reserve keep the many short-lived logs of a test cheap.
 */
final class ChronicleStorageKind implements StorageKind {

  @Override
  public String name() {
    return "chronicle";
  }

  @Override
  public NodeDisk newDisk(NodeId node) {
    try {
      return new ChronicleDisk(Files.createTempDirectory("raftdb-scenario-" + node + "-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One node's directory. Used by the test thread only. */
  private static final class ChronicleDisk implements NodeDisk {
    private final Path dir;
    private FileSnapshotStorage snapshots;
    private boolean open;

    ChronicleDisk(Path dir) {
      this.dir = dir;
    }

    @Override
    public NodeStores open() {
      if (open) {
        throw new IllegalStateException("the previous incarnation has not crashed");
      }
      ChronicleLogStorage log = ChronicleLogStorage.builder(dir.resolve("log"))
          .blockSize(1L << 20).reserveBytes(1L << 20).open();
      FileMetaStorage meta = FileMetaStorage.open(dir.resolve("hard-state"));
      snapshots = FileSnapshotStorage.open(dir.resolve("snapshots"));
      open = true;
      return new NodeStores(log, meta, snapshots);
    }

    @Override
    public void crashed() {
      open = false; // the closed node released the files; they are what survives
    }

    @Override
    public long persistedLogBytes() {
      // The log belongs to the running node's event loop, and Chronicle drops whole segments
      // rather than entries: the labs' log-size bounds are checked on the memory kind.
      throw new UnsupportedOperationException(
          "the Chronicle disk does not measure its log in entry bytes; use the memory kind");
    }

    @Override
    public Optional<SnapshotInfo> latestSnapshot() {
      return snapshots == null ? Optional.empty() : snapshots.latest();
    }

    @Override
    public void close() {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
