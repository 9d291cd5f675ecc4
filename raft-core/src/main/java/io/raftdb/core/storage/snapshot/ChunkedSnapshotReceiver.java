package io.raftdb.core.storage.snapshot;

import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotReceiver;
import io.raftdb.storage.StorageException;
import java.io.IOException;

/**
 * What every {@link SnapshotReceiver} does, whatever holds the bytes: chunks in order, then at
 * {@link #commit()} a full check of format and checksum and that the snapshot is the one
 * announced, and only then publication. A store supplies where the bytes go.
 *
 * <p>Threading: the node's loop only, as the interface says.
 */
abstract class ChunkedSnapshotReceiver implements SnapshotReceiver {
  private enum Phase { RECEIVING, COMMITTED, DISCARDED }

  private final long index;
  private final long term;
  private long received;
  private Phase phase = Phase.RECEIVING;

  ChunkedSnapshotReceiver(long index, long term) {
    if (index < 1 || term < 1) {
      throw new IllegalArgumentException("a snapshot needs index and term of at least 1, got "
          + index + "@" + term);
    }
    this.index = index;
    this.term = term;
  }

  /** Stores a chunk after those before it. */
  protected abstract void append(byte[] chunk) throws IOException;

  /**
   * Makes the received bytes durable (where that applies) and checks them; {@code what} names
   * the transfer in error messages.
   *
   * @throws CorruptSnapshotException if they are not a valid snapshot
   */
  protected abstract SnapshotLayout finishAndVerify(long size, String what) throws IOException;

  /** Publishes the verified snapshot in the store and returns what is stored for it. */
  protected abstract SnapshotInfo publish(SnapshotLayout layout);

  /** Frees what was received. Must not throw; called at most once. */
  protected abstract void discard();

  /** Names the store, for error messages. */
  protected abstract String storeName();

  @Override
  public final long index() {
    return index;
  }

  @Override
  public final long term() {
    return term;
  }

  @Override
  public final long received() {
    return received;
  }

  @Override
  public final void write(long offset, byte[] chunk) {
    requireReceiving();
    if (offset != received) {
      throw new IllegalArgumentException("snapshot " + index + "@" + term + ": a chunk at offset "
          + offset + " but " + received + " bytes have been received; chunks come in order");
    }
    try {
      append(chunk);
    } catch (IOException | RuntimeException e) {
      abort();
      throw new StorageException("receiving snapshot " + index + "@" + term + " into "
          + storeName() + " failed at offset " + offset + "; the transfer is discarded", e);
    }
    received += chunk.length;
  }

  @Override
  public final SnapshotInfo commit() {
    requireReceiving();
    String what = "the snapshot received as " + index + "@" + term + " (" + received + " bytes)";
    SnapshotLayout layout;
    try {
      layout = finishAndVerify(received, what);
    } catch (CorruptSnapshotException e) {
      abort();
      throw e;
    } catch (IOException | RuntimeException e) {
      abort();
      throw new StorageException("cannot store " + what + " in " + storeName(), e);
    }
    SnapshotInfo info = layout.info();
    if (info.index() != index || info.term() != term) {
      abort();
      throw new CorruptSnapshotException(what + " holds snapshot " + info.index() + "@"
          + info.term() + " instead; it is discarded");
    }
    try {
      SnapshotInfo stored = publish(layout);
      phase = Phase.COMMITTED;
      return stored;
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
  }

  @Override
  public final void abort() {
    if (phase == Phase.RECEIVING) {
      phase = Phase.DISCARDED;
      discard();
    }
  }

  private void requireReceiving() {
    if (phase != Phase.RECEIVING) {
      throw new IllegalStateException("snapshot " + index + "@" + term + " was already "
          + (phase == Phase.COMMITTED ? "committed" : "aborted"));
    }
  }
}
