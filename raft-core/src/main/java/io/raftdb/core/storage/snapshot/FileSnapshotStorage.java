package io.raftdb.core.storage.snapshot;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.StateMachine;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotReceiver;
import io.raftdb.storage.SnapshotStorage;
import io.raftdb.storage.StorageException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots as files in one directory, one file per snapshot named by its index and term, in
 * {@link SnapshotFormat}. A snapshot is written or received under a temporary name, synced,
 * renamed and the directory synced, so that a crash leaves it either absent or whole; then all but
 * the newest few are deleted.
 *
 * <p>Opening the store reads every snapshot file in full and trusts only those whose checksum
 * and header hold: a damaged one is logged at WARN with its name and skipped (and left in place
 * for inspection), so a torn or rotten newest snapshot falls back to an older valid one, and a
 * directory of only damaged files has no snapshot. Temporary files left by a crash are deleted.
 *
 * <p>A save streams the state machine's bytes to disk through a buffer; the state is never held
 * whole in memory, whatever its size. A snapshot older than the newest kept ones is deleted as
 * soon as it is stored, so a caller compares what it saved with {@link #latest()}.
 *
 * <p>Threading: {@link #save} may run on a background thread while the node's loop calls the
 * other methods; see {@link SnapshotCatalog} for what is locked when. Every I/O failure is a
 * {@link StorageException} naming the file.
 */
public final class FileSnapshotStorage implements SnapshotStorage {
  /** How many snapshots are kept unless the store is opened with another number. */
  public static final int DEFAULT_KEEP = 2;

  private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotStorage.class);
  static final int READ_BUFFER_BYTES = 64 * 1024;

  /** One stored snapshot: where it is and what it holds. */
  private record StoredFile(SnapshotLayout layout, Path file) {
    SnapshotInfo info() {
      return layout.info();
    }
  }

  private final Path directory;
  private final SnapshotCatalog<StoredFile> catalog;
  private final AtomicLong nextTemporary = new AtomicLong();
  private final Set<FileSnapshotReceiver> openReceivers = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private FileSnapshotStorage(Path directory, int keep) {
    this.directory = directory;
    this.catalog = new SnapshotCatalog<>(keep, StoredFile::info);
  }

  /** Opens the snapshots in {@code directory}, keeping the newest {@value #DEFAULT_KEEP}. */
  public static FileSnapshotStorage open(Path directory) {
    return open(directory, DEFAULT_KEEP);
  }

  /**
   * Opens the snapshots in {@code directory}, creating it if needed, and keeps the newest
   * {@code keep} from now on.
   *
   * @throws IllegalArgumentException if {@code keep} is below 1
   * @throws StorageException if the directory cannot be created or listed
   */
  public static FileSnapshotStorage open(Path directory, int keep) {
    Objects.requireNonNull(directory, "directory");
    FileSnapshotStorage store = new FileSnapshotStorage(directory.toAbsolutePath(), keep);
    store.scan();
    return store;
  }

  /** The directory that holds the snapshot files. */
  public Path directory() {
    return directory;
  }

  @Override
  public Optional<SnapshotInfo> latest() {
    checkOpen();
    return catalog.newest().map(StoredFile::info);
  }

  @Override
  public SnapshotInfo save(long index, long term, Membership membership,
      StateMachine.SnapshotWriter state) {
    checkOpen();
    Objects.requireNonNull(state, "state");
    int headerSize = SnapshotFormat.headerSize(index, term, membership);
    Path temp = newTemporary(index, term);
    boolean written = false;
    try {
      SnapshotLayout layout;
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        layout = write(channel, index, term, membership, headerSize, state);
        channel.force(true);
      } catch (IOException e) {
        throw new StorageException("writing snapshot " + index + "@" + term + " to " + temp
            + " failed; nothing was published", e);
      } catch (RuntimeException e) {
        throw new StorageException("the state machine's snapshot writer failed while writing "
            + index + "@" + term + " to " + temp + "; nothing was published", e);
      }
      written = true;
      return publish(temp, layout);
    } finally {
      if (!written) {
        deleteQuietly(temp);
      }
    }
  }

  /**
   * Streams the state into {@code channel} after a gap for the header, then writes the trailer
   * and, now that the state's length is known, the header.
   */
  private static SnapshotLayout write(FileChannel channel, long index, long term,
      Membership membership, int headerSize, StateMachine.SnapshotWriter state) throws IOException {
    channel.position(headerSize);
    StateOutput out = new StateOutput(Channels.newOutputStream(channel), Long.MAX_VALUE);
    state.writeTo(out);
    out.close();
    long stateLength = out.length();
    byte[] header = SnapshotFormat.header(index, term, membership, stateLength);
    int checksum = SnapshotFormat.checksum(header, out.checksum(), stateLength);
    writeFully(channel, SnapshotFormat.trailer(checksum), headerSize + stateLength);
    writeFully(channel, header, 0);
    SnapshotInfo info = new SnapshotInfo(index, term, membership,
        SnapshotFormat.totalSize(headerSize, stateLength));
    return new SnapshotLayout(info, headerSize, stateLength);
  }

  @Override
  public InputStream openState(SnapshotInfo snapshot) {
    checkOpen();
    StoredFile stored = catalog.require(snapshot, "the snapshot directory " + directory);
    SnapshotLayout layout = stored.layout();
    try {
      FileChannel channel = FileChannel.open(stored.file(), StandardOpenOption.READ);
      return new BufferedInputStream(new ChannelRangeInputStream(channel, layout.stateOffset(),
          layout.stateLength()), READ_BUFFER_BYTES);
    } catch (NoSuchFileException e) {
      throw new StorageException("the snapshot file " + stored.file() + " is gone", e);
    } catch (IOException e) {
      throw new StorageException("cannot open the snapshot file " + stored.file(), e);
    }
  }

  @Override
  public byte[] read(SnapshotInfo snapshot, long offset, int maxBytes) {
    checkOpen();
    StoredFile stored = catalog.require(snapshot, "the snapshot directory " + directory);
    int length = ChunkRange.length(stored.info(), offset, maxBytes);
    byte[] chunk = new byte[length];
    if (length == 0) {
      return chunk;
    }
    try (FileChannel channel = FileChannel.open(stored.file(), StandardOpenOption.READ)) {
      ByteBuffer into = ByteBuffer.wrap(chunk);
      while (into.hasRemaining()) {
        if (channel.read(into, offset + into.position()) < 0) {
          throw new StorageException("the snapshot file " + stored.file() + " ends at "
              + (offset + into.position()) + " bytes, before its verified size of "
              + stored.info().sizeBytes());
        }
      }
      return chunk;
    } catch (NoSuchFileException e) {
      throw new StorageException("the snapshot file " + stored.file() + " is gone", e);
    } catch (IOException e) {
      throw new StorageException("cannot read the snapshot file " + stored.file(), e);
    }
  }

  @Override
  public SnapshotReceiver receive(long index, long term) {
    checkOpen();
    FileSnapshotReceiver receiver =
        new FileSnapshotReceiver(index, term, newTemporary(index, term), this);
    openReceivers.add(receiver);
    return receiver;
  }

  /** Marks the store closed and discards transfers still open. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (FileSnapshotReceiver receiver : openReceivers) {
      receiver.abort();
    }
  }

  @Override
  public String toString() {
    return "FileSnapshotStorage[" + directory + "]";
  }

  /** Forgets a transfer that ended, so that closing the store does not abort it. */
  void forget(FileSnapshotReceiver receiver) {
    openReceivers.remove(receiver);
  }

  /**
   * Renames a complete, verified temporary file to its final name and lists it, unless that
   * snapshot is stored already; deletes the snapshots that fall out of the newest kept.
   */
  SnapshotInfo publish(Path temp, SnapshotLayout layout) {
    SnapshotInfo info = layout.info();
    Path target = directory.resolve(SnapshotFileNames.complete(info.index(), info.term()));
    SnapshotCatalog.Publication<StoredFile> publication;
    try {
      publication = catalog.publish(new StoredFile(layout, target), () -> {
        if (closed) {
          throw new IOException("the store was closed");
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(); // the rename itself must survive a power loss
      });
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new StorageException("cannot publish snapshot " + info.index() + "@" + info.term()
          + " as " + target, e);
    }
    if (publication.alreadyStored()) {
      deleteQuietly(temp);
      LOG.debug("snapshot {}@{} is stored already as {}", info.index(), info.term(), target);
    }
    for (StoredFile old : publication.dropped()) {
      deleteQuietly(old.file());
    }
    return publication.stored().info();
  }

  /** Lists the directory once at open: deletes crash leftovers, verifies every snapshot file. */
  private void scan() {
    List<StoredFile> valid = new ArrayList<>();
    try {
      Files.createDirectories(directory);
      try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
        for (Path file : files) {
          String name = file.getFileName().toString();
          if (SnapshotFileNames.isTemporary(name)) {
            Files.deleteIfExists(file);
            LOG.info("deleted {}: a snapshot save or transfer that a crash cut short", file);
          } else {
            SnapshotFileNames.parse(name).ifPresentOrElse(
                named -> verify(file, named).ifPresent(valid::add),
                () -> {
                  if (SnapshotFileNames.isSnapshotLike(name)) {
                    LOG.warn("ignoring {}: not a snapshot file name this store writes", file);
                  }
                });
          }
        }
      }
    } catch (IOException e) {
      throw new StorageException("cannot open the snapshot directory " + directory, e);
    }
    for (StoredFile extra : catalog.restore(valid)) {
      deleteQuietly(extra.file()); // a crash between a publish and its clean-up
    }
    catalog.newest().ifPresentOrElse(
        newest -> LOG.info("opened {}: newest snapshot {}@{} ({} bytes)", directory,
            newest.info().index(), newest.info().term(), newest.info().sizeBytes()),
        () -> LOG.info("opened {}: no valid snapshot", directory));
  }

  /** Reads a whole snapshot file; a damaged one is logged and skipped. */
  private static Optional<StoredFile> verify(Path file, SnapshotFileNames.NamedSnapshot named) {
    String what = "the snapshot file " + file;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file),
        READ_BUFFER_BYTES)) {
      SnapshotLayout layout = SnapshotFormat.verify(in, Files.size(file), what);
      SnapshotInfo info = layout.info();
      if (info.index() != named.index() || info.term() != named.term()) {
        throw new CorruptSnapshotException(what + " is corrupt: it holds snapshot "
            + info.index() + "@" + info.term() + ", not the one its name states");
      }
      return Optional.of(new StoredFile(layout, file));
    } catch (StorageException e) {
      LOG.warn("skipped a damaged snapshot: {}; the file is left in place for inspection",
          e.getMessage());
    } catch (IOException e) {
      LOG.warn("skipping the snapshot file {}, which cannot be read: {}", file, e.toString());
    }
    return Optional.empty();
  }

  private Path newTemporary(long index, long term) {
    return directory.resolve(SnapshotFileNames.temporary(index, term,
        nextTemporary.incrementAndGet()));
  }

  private void syncDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  private static void writeFully(FileChannel channel, byte[] bytes, long position)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer, position + buffer.position());
    }
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Harmless for correctness: a leftover temporary file goes at the next open, an old
      // snapshot at the next publish.
      LOG.warn("cannot delete {}: {}", file, e.toString());
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the snapshot store " + directory + " is closed");
    }
  }
}
