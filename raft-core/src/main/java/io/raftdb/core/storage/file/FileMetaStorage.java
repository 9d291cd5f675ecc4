package io.raftdb.core.storage.file;

import io.raftdb.storage.HardState;
import io.raftdb.storage.MetaStorage;
import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's term and vote in one small file, replaced atomically: each save writes a temporary
 * file, forces it, renames it over the old one and forces the directory. After a crash the file
 * holds the old or the new state, never a mix; a file damaged anyway (a disk that lies) fails its
 * CRC32C and stops {@link #open} with a clear error, because starting with a forgotten vote could
 * elect two leaders in one term.
 *
 * <p>Threading: used by the node's loop only; {@link #load()} returns the value in memory.
 */
public final class FileMetaStorage implements MetaStorage {
  private static final Logger LOG = LoggerFactory.getLogger(FileMetaStorage.class);
  private static final String TEMP_SUFFIX = ".tmp";

  /** Opens files; replaceable in tests to inject I/O errors. */
  interface ChannelOpener {
    FileChannel open(Path path, OpenOption... options) throws IOException;
  }

  private final Path file;
  private final Path temp;
  private final ChannelOpener opener;
  private HardState state;
  private boolean closed;

  private FileMetaStorage(Path file, ChannelOpener opener, HardState state) {
    this.file = file;
    this.temp = file.resolveSibling(file.getFileName() + TEMP_SUFFIX);
    this.opener = opener;
    this.state = state;
  }

  /**
   * Opens the hard state kept in {@code file}, creating its directory if needed; a missing file
   * means {@link HardState#INITIAL}. A temporary file left by a save cut short is removed.
   *
   * @throws StorageException if the file cannot be read or is corrupt (the message names it)
   */
  public static FileMetaStorage open(Path file) {
    return open(file, FileChannel::open);
  }

  static FileMetaStorage open(Path file, ChannelOpener opener) {
    Objects.requireNonNull(file, "file");
    Path absolute = file.toAbsolutePath();
    try {
      Files.createDirectories(absolute.getParent());
      Path temp = absolute.resolveSibling(absolute.getFileName() + TEMP_SUFFIX);
      if (Files.deleteIfExists(temp)) {
        LOG.info("removed {}: a save was cut short, the previous state stands", temp);
      }
      return new FileMetaStorage(absolute, opener, read(absolute));
    } catch (IOException e) {
      throw new StorageException("cannot read the hard-state file " + absolute, e);
    }
  }

  private static HardState read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return HardState.INITIAL;
    }
    long size = Files.size(file);
    if (size > HardStateFormat.MAX_BYTES) {
      throw new StorageException("the hard-state file " + file + " is corrupt: " + size
          + " bytes, at most " + HardStateFormat.MAX_BYTES + " expected");
    }
    try {
      return HardStateFormat.decode(Files.readAllBytes(file));
    } catch (IllegalArgumentException e) {
      throw new StorageException("the hard-state file " + file + " is corrupt: " + e.getMessage()
          + ". Refusing to start with a forgotten term or vote; restore the file or rebuild this"
          + " node from its peers", e);
    }
  }

  @Override
  public HardState load() {
    checkOpen();
    return state;
  }

  @Override
  public void save(HardState newState) {
    checkOpen();
    Objects.requireNonNull(newState, "state");
    byte[] bytes = HardStateFormat.encode(newState);
    try {
      try (FileChannel channel = opener.open(temp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = opener.open(file.getParent(), StandardOpenOption.READ)) {
        dir.force(true); // the rename itself must survive a power loss
      }
    } catch (IOException | RuntimeException e) {
      throw new StorageException("saving " + newState + " to " + file + " failed; this store "
          + "keeps reporting " + state + " (after a crash the file holds one of the two)", e);
    }
    state = newState;
  }

  @Override
  public void close() {
    closed = true;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the hard-state store " + file + " is closed");
    }
  }
}
