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
 * temporary directory per node. A crash loses what the log had not synced at the crash instant,
 * as a power loss would: the log records how far each sync reached ({@link SyncTrackingLog}), and
 * after the crashed incarnation is closed its log is cut back to there (the hard state and the
 * snapshots are durable when saved). Small blocks and a small free-space reserve keep the many
 * short-lived logs of a test cheap.
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
    private SyncTrackingLog log;
    private boolean open;
    /** The last log index durable at the crash instant; -1 until {@link #crashing()}. */
    private long survivingLastIndex = -1;

    ChronicleDisk(Path dir) {
      this.dir = dir;
    }

    @Override
    public NodeStores open() {
      if (open) {
        throw new IllegalStateException("the previous incarnation has not crashed");
      }
      log = new SyncTrackingLog(openLog());
      FileMetaStorage meta = FileMetaStorage.open(dir.resolve("hard-state"));
      snapshots = FileSnapshotStorage.open(dir.resolve("snapshots"));
      open = true;
      return new NodeStores(log, meta, snapshots);
    }

    private ChronicleLogStorage openLog() {
      return ChronicleLogStorage.builder(dir.resolve("log")).blockSize(1L << 20)
          .reserveBytes(1L << 20).open();
    }

    @Override
    public void crashing() {
      if (open && survivingLastIndex < 0) {
        survivingLastIndex = log.syncedLastIndex();
      }
    }

    @Override
    public void crashed() {
      if (!open) {
        return;
      }
      crashing();
      open = false;
      // The closed node released the files. Cut the log back to what was synced at the crash
      // instant, but not below the newest snapshot (published later, it is durable too, and a
      // snapshot always covers entries that were synced before it was taken).
      long newestSnapshot;
      try (FileSnapshotStorage stored = FileSnapshotStorage.open(dir.resolve("snapshots"))) {
        newestSnapshot = stored.latest().map(SnapshotInfo::index).orElse(0L);
      }
      long keep = Math.max(survivingLastIndex, newestSnapshot);
      survivingLastIndex = -1;
      try (ChronicleLogStorage reopened = openLog()) {
        if (reopened.lastIndex() > keep && keep + 1 >= reopened.firstIndex()) {
          reopened.truncateSuffix(keep + 1);
          reopened.sync();
        }
      }
    }

    @Override
    public long persistedLogBytes() {
      // The log belongs to the running node's event loop, and Chronicle drops whole segments
      // rather than entries: the labs' log-size bounds are checked on the memory kind.
      throw new UnsupportedOperationException(
          "the Chronicle disk does not measure its log in entry bytes; use the memory kind");
    }

    @Override
    public long persistedHardStateBytes() {
      try {
        Path file = dir.resolve("hard-state");
        return Files.exists(file) ? Files.size(file) : 0;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
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
