package io.raftdb.core.storage.snapshot;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.StateMachine;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotReceiver;
import io.raftdb.storage.SnapshotStorage;
import io.raftdb.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link SnapshotStorage} in memory, for tests and the simulator. It holds each snapshot as the
 * very bytes a {@link FileSnapshotStorage} would write ({@link SnapshotFormat}), so shipping
 * between the two kinds of store works and a received snapshot is checked the same way. A
 * snapshot is durable as soon as it is published, so {@link #durableCopy()} (what a restarted
 * node finds) holds every published snapshot and no transfer still in progress.
 *
 * <p>A snapshot must fit in one array (about 2 GiB); a larger one fails with a
 * {@link StorageException}.
 *
 * <p>Threading: {@link #save} may run on a background thread while the node's loop calls the
 * other methods; {@link #durableCopy()} may be called from any thread, also after
 * {@link #close()}.
 */
public final class MemorySnapshotStorage implements SnapshotStorage {
  /** How many snapshots are kept unless the store is made with another number. */
  public static final int DEFAULT_KEEP = FileSnapshotStorage.DEFAULT_KEEP;

  /** A little below the largest array a JVM allocates. */
  private static final int MAX_BYTES = Integer.MAX_VALUE - 64;
  private static final String NAME = "the in-memory snapshot store";

  /** One stored snapshot: its bytes, never changed once stored, and their layout. */
  private record StoredArray(SnapshotLayout layout, byte[] bytes) {
    SnapshotInfo info() {
      return layout.info();
    }
  }

  private final SnapshotCatalog<StoredArray> catalog;
  private volatile boolean closed;

  /** An empty store that keeps the newest {@value #DEFAULT_KEEP} snapshots. */
  public MemorySnapshotStorage() {
    this(DEFAULT_KEEP);
  }

  /**
   * An empty store that keeps the newest {@code keep} snapshots.
   *
   * @throws IllegalArgumentException if {@code keep} is below 1
   */
  public MemorySnapshotStorage(int keep) {
    this.catalog = new SnapshotCatalog<>(keep, StoredArray::info);
  }

  /** A new, open store holding what a restarted node would find: every published snapshot. */
  public MemorySnapshotStorage durableCopy() {
    MemorySnapshotStorage copy = new MemorySnapshotStorage(catalog.keep());
    copy.catalog.restore(catalog.entries()); // the arrays are never written again: share them
    return copy;
  }

  @Override
  public Optional<SnapshotInfo> latest() {
    checkOpen();
    return catalog.newest().map(StoredArray::info);
  }

  @Override
  public SnapshotInfo save(long index, long term, Membership membership,
      StateMachine.SnapshotWriter state) {
    checkOpen();
    Objects.requireNonNull(state, "state");
    int headerSize = SnapshotFormat.headerSize(index, term, membership);
    // The same steps as on disk: a gap for the header, the state streamed after it, then the
    // trailer, and the header once the state's length is known.
    ByteArrayOutputStream stored = new ByteArrayOutputStream();
    stored.writeBytes(new byte[headerSize]);
    StateOutput out = new StateOutput(stored, MAX_BYTES - headerSize - SnapshotFormat.CRC_BYTES);
    try {
      state.writeTo(out);
      out.close();
    } catch (IOException | RuntimeException e) {
      throw new StorageException("the state machine's snapshot writer failed while writing "
          + index + "@" + term + " to " + NAME + "; nothing was published", e);
    }
    long stateLength = out.length();
    byte[] header = SnapshotFormat.header(index, term, membership, stateLength);
    stored.writeBytes(SnapshotFormat.trailer(
        SnapshotFormat.checksum(header, out.checksum(), stateLength)));
    byte[] bytes = stored.toByteArray();
    System.arraycopy(header, 0, bytes, 0, header.length);
    SnapshotInfo info = new SnapshotInfo(index, term, membership, bytes.length);
    return publish(new StoredArray(new SnapshotLayout(info, headerSize, stateLength), bytes));
  }

  @Override
  public InputStream openState(SnapshotInfo snapshot) {
    checkOpen();
    StoredArray stored = catalog.require(snapshot, NAME);
    SnapshotLayout layout = stored.layout();
    return new ByteArrayInputStream(stored.bytes(), (int) layout.stateOffset(),
        (int) layout.stateLength());
  }

  @Override
  public byte[] read(SnapshotInfo snapshot, long offset, int maxBytes) {
    checkOpen();
    StoredArray stored = catalog.require(snapshot, NAME);
    int length = ChunkRange.length(stored.info(), offset, maxBytes);
    return Arrays.copyOfRange(stored.bytes(), (int) offset, (int) offset + length);
  }

  @Override
  public SnapshotReceiver receive(long index, long term) {
    checkOpen();
    return new ArrayReceiver(index, term);
  }

  /** Marks the store closed; {@link #durableCopy()} still works. Idempotent. */
  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "MemorySnapshotStorage" + catalog.entries().stream().map(StoredArray::info)
        .map(i -> i.index() + "@" + i.term()).toList();
  }

  private SnapshotInfo publish(StoredArray entry) {
    try {
      return catalog.publish(entry, this::checkStillOpen).stored().info();
    } catch (IOException e) {
      SnapshotInfo info = entry.info();
      throw new StorageException("cannot publish snapshot " + info.index() + "@" + info.term()
          + " in " + NAME, e);
    }
  }

  private void checkStillOpen() throws IOException {
    if (closed) {
      throw new IOException("the store was closed");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(NAME + " is closed");
    }
  }

  /** Receives a snapshot into a growing array. */
  private final class ArrayReceiver extends ChunkedSnapshotReceiver {
    private ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    private byte[] received;

    ArrayReceiver(long index, long term) {
      super(index, term);
    }

    @Override
    protected void append(byte[] chunk) throws IOException {
      if (chunk.length > MAX_BYTES - chunks.size()) {
        throw new IOException("the snapshot exceeds the " + MAX_BYTES + " bytes that "
            + NAME + " can hold");
      }
      chunks.writeBytes(chunk);
    }

    @Override
    protected SnapshotLayout finishAndVerify(long size, String what) throws IOException {
      received = chunks.toByteArray();
      chunks = null;
      return SnapshotFormat.verify(new ByteArrayInputStream(received), size, what);
    }

    @Override
    protected SnapshotInfo publish(SnapshotLayout layout) {
      return MemorySnapshotStorage.this.publish(new StoredArray(layout, received));
    }

    @Override
    protected void discard() {
      chunks = null;
      received = null;
    }

    @Override
    protected String storeName() {
      return NAME;
    }
  }
}
