package io.raftdb.storage;

/**
 * A snapshot arriving from the leader in chunks of its stored bytes. Chunks are written in order;
 * nothing is visible to {@link SnapshotStorage#latest()} until {@link #commit()} has checked the
 * whole snapshot and made it durable.
 *
 * <p>Threading: used by the node's event loop only.
 */
public interface SnapshotReceiver {

  /** The snapshot being received: index and term as the leader announced them. */
  long index();

  /** The term of the snapshot's last entry, as the leader announced it. */
  long term();

  /** How many bytes have been written so far: the offset the next chunk must start at. */
  long received();

  /**
   * Appends a chunk.
   *
   * @throws IllegalArgumentException if {@code offset != received()}
   * @throws StorageException on an I/O failure
   */
  void write(long offset, byte[] chunk);

  /**
   * Checks the complete snapshot (format, checksum, that it covers {@link #index()} and
   * {@link #term()}), makes it durable and publishes it as the newest snapshot.
   *
   * @throws StorageException if it is corrupt or incomplete (it is then discarded) or cannot be
   *     made durable
   */
  SnapshotInfo commit();

  /** Discards what was received. Idempotent. */
  void abort();
}
