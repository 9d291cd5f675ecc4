package io.raftdb.core.storage.memory;

import io.raftdb.storage.HardState;
import io.raftdb.storage.MetaStorage;
import java.util.Objects;

/**
 * A {@link MetaStorage} in memory: every {@link #save} is durable at once, so
 * {@link #durableCopy()} is simply the last saved state.
 *
 * <p>Threading: saved by the node's loop; {@link #durableCopy()} may be called from any thread,
 * also after {@link #close()}.
 */
public final class MemoryMetaStorage implements MetaStorage {
  private volatile HardState state;
  private volatile boolean closed;

  /** A store holding {@link HardState#INITIAL}. */
  public MemoryMetaStorage() {
    this(HardState.INITIAL);
  }

  /** A store holding {@code state}, as if it had been saved. */
  public MemoryMetaStorage(HardState state) {
    this.state = Objects.requireNonNull(state, "state");
  }

  /** A new, open store holding what a restarted node would find: the last saved state. */
  public MemoryMetaStorage durableCopy() {
    return new MemoryMetaStorage(state);
  }

  @Override
  public HardState load() {
    checkOpen();
    return state;
  }

  @Override
  public void save(HardState newState) {
    checkOpen();
    state = Objects.requireNonNull(newState, "state");
  }

  @Override
  public void close() {
    closed = true;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("meta storage is closed");
    }
  }
}
