package io.raftdb.storage;

import io.raftdb.Membership;
import io.raftdb.StateMachine;
import java.io.InputStream;
import java.util.Optional;

/**
 * Durable snapshots of one node (thesis chapter 5). A stored snapshot is a header (index, term,
 * membership), the state machine's bytes and a checksum; it is written under a temporary name,
 * synced and renamed, so that a crash leaves either the old set of snapshots or the new one, and
 * a torn or corrupt snapshot is never loaded. The newest few are kept.
 *
 * <p>The stored bytes of a snapshot are also what a leader ships to a follower
 * ({@link #read}, {@link #receive}), so the checksum protects the transfer end to end.
 *
 * <p>Threading: {@link #save} may run on a background thread while the node's event loop uses
 * the other methods; implementations make that safe.
 */
public interface SnapshotStorage extends AutoCloseable {

  /** The newest complete snapshot whose checksum is valid, if any. */
  Optional<SnapshotInfo> latest();

  /**
   * Writes a new snapshot and publishes it as the newest once it is durable.
   *
   * @throws StorageException if it cannot be written (nothing is published then)
   */
  SnapshotInfo save(long index, long term, Membership membership,
      StateMachine.SnapshotWriter state);

  /**
   * The state machine's part of a stored snapshot, for {@link StateMachine#restoreSnapshot}. The
   * caller closes the stream.
   *
   * @throws StorageException if the snapshot is gone or unreadable
   */
  InputStream openState(SnapshotInfo snapshot);

  /**
   * Reads up to {@code maxBytes} of the stored bytes of a snapshot from {@code offset}, for
   * shipping to a follower; an empty array at the end.
   *
   * @throws StorageException if the snapshot is gone (compacted away by a newer one) or unreadable
   */
  byte[] read(SnapshotInfo snapshot, long offset, int maxBytes);

  /** Starts receiving a snapshot that a leader ships as its stored bytes. */
  SnapshotReceiver receive(long index, long term);

  /** Releases resources. */
  @Override
  void close();
}
