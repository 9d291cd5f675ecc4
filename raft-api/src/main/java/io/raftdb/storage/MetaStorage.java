package io.raftdb.storage;

/**
 * Durable storage for a node's {@link HardState}. A save replaces the previous value atomically:
 * after a crash, {@link #load()} returns either the old or the new value, never a mix or garbage.
 *
 * <p>Threading: used by the node's event loop only.
 */
public interface MetaStorage extends AutoCloseable {

  /** The last saved state, or {@link HardState#INITIAL} if none was ever saved. */
  HardState load();

  /**
   * Saves the state durably: when this returns, it survives a crash.
   *
   * @throws StorageException if it could not be made durable (the old value then still stands)
   */
  void save(HardState state);

  /** Releases resources. */
  @Override
  void close();
}
