package io.raftdb.storage;

import io.raftdb.message.LogEntry;
import java.util.List;

/**
 * The durable Raft log of one node: a contiguous run of entries {@code firstIndex()..lastIndex()}
 * plus the term of the entry just before the first (the last entry covered by a snapshot).
 *
 * <p>An empty, never-compacted log has {@code firstIndex() == 1}, {@code lastIndex() == 0} and
 * {@code term(0) == 0}.
 *
 * <p>Durability: appends and truncations take effect for readers at once but survive a crash
 * only once {@link #sync()} has returned. After a crash the log holds a prefix of what was
 * written, at least everything written before the last completed {@code sync()}, and never an
 * entry that was not written (a torn record is detected and dropped, never served).
 *
 * <p>Threading: the node's event loop is the only writer. Reads may come from any one thread at
 * a time unless an implementation says otherwise. Methods throw {@link StorageException} on I/O
 * failure; after that the store may refuse all further writes.
 */
public interface LogStorage extends AutoCloseable {

  /** Index of the first entry held; {@code lastIndex() + 1} when the log holds none. */
  long firstIndex();

  /** Index of the last entry held, or the snapshot index when the log holds none (0 at first). */
  long lastIndex();

  /**
   * The term of the entry at {@code index}, for {@code firstIndex() - 1 <= index <= lastIndex()}.
   * At {@code firstIndex() - 1} this is the term of the last entry the snapshot covers (0 for a
   * never-compacted log).
   *
   * @throws IndexOutOfBoundsException outside that range
   */
  long term(long index);

  /**
   * The entries with indices in {@code [from, toExclusive)}, in order, stopping early (but always
   * returning at least one entry when the range is not empty) once their total
   * {@link LogEntry#sizeEstimate()} would pass {@code maxBytes}.
   *
   * @throws IndexOutOfBoundsException if the range is not within {@code firstIndex()..lastIndex()+1}
   */
  List<LogEntry> entries(long from, long toExclusive, long maxBytes);

  /**
   * Appends entries. The first must have index {@code lastIndex() + 1}, and indices must be
   * consecutive; terms must not decrease.
   *
   * @throws IllegalArgumentException if the entries do not continue the log
   */
  void append(List<LogEntry> entries);

  /**
   * Removes the entries {@code fromIndex..lastIndex()} (a conflicting suffix, thesis §3.5).
   * {@code fromIndex} must be greater than the commit index the caller knows, so never below
   * {@code firstIndex()}.
   */
  void truncateSuffix(long fromIndex);

  /**
   * Allows the store to drop entries up to and including {@code upToIndex}, which a snapshot now
   * covers. The store may keep some of them (it drops whole segments); {@link #firstIndex()} says
   * what remains. Never removes entries after {@code upToIndex}.
   */
  void compactPrefix(long upToIndex);

  /**
   * Discards the whole log and starts afresh after an installed snapshot: afterwards
   * {@code firstIndex() == snapshotIndex + 1}, {@code lastIndex() == snapshotIndex} and
   * {@code term(snapshotIndex) == snapshotTerm}.
   */
  void reset(long snapshotIndex, long snapshotTerm);

  /**
   * The largest entry this store accepts, in encoded bytes ({@code LogEntryCodec.encodedSize});
   * {@link #append} refuses a larger one. A node checks when it is built that the largest command
   * it accepts fits. Unbounded by default.
   */
  default long maxEntryBytes() {
    return Long.MAX_VALUE;
  }

  /** Makes everything written so far durable. The unit of group commit: one call per batch. */
  void sync();

  /**
   * Whether {@link #sync()} may be called from one other thread while the node's loop appends,
   * reads and compacts (never while it truncates or resets: the loop waits for the sync first).
   * Such a sync must make durable at least everything appended before it was called. A node then
   * syncs on its own thread and keeps stepping messages meanwhile (pipelined persistence);
   * otherwise it syncs on its loop, once per batch. False by default.
   */
  default boolean syncsConcurrently() {
    return false;
  }

  /** Releases files and memory. Does not sync. */
  @Override
  void close();
}
