package io.raftdb.core.storage.snapshot;

import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.StorageException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives a snapshot for a {@link FileSnapshotStorage} into a temporary file of its directory,
 * which the store renames into place once the whole snapshot is synced and verified.
 *
 * <p>Threading: the node's loop only; {@link #abort()} also when the store closes.
 */
final class FileSnapshotReceiver extends ChunkedSnapshotReceiver {
  private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotReceiver.class);

  private final Path temp;
  private final FileSnapshotStorage store;
  private final FileChannel channel;

  /**
   * Creates the temporary file {@code temp}.
   *
   * @throws StorageException if it cannot be created
   */
  FileSnapshotReceiver(long index, long term, Path temp, FileSnapshotStorage store) {
    super(index, term);
    this.temp = temp;
    this.store = store;
    try {
      this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new StorageException("cannot create " + temp + " to receive snapshot " + index + "@"
          + term, e);
    }
  }

  @Override
  protected void append(byte[] chunk) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(chunk);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  @Override
  protected SnapshotLayout finishAndVerify(long size, String what) throws IOException {
    channel.force(true);
    channel.close();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(temp),
        FileSnapshotStorage.READ_BUFFER_BYTES)) {
      return SnapshotFormat.verify(in, size, what + " in " + temp);
    }
  }

  @Override
  protected SnapshotInfo publish(SnapshotLayout layout) {
    store.forget(this);
    return store.publish(temp, layout);
  }

  @Override
  protected void discard() {
    store.forget(this);
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("cannot close {}: {}", temp, e.toString());
    }
    FileSnapshotStorage.deleteQuietly(temp);
  }

  @Override
  protected String storeName() {
    return temp.toString();
  }
}
