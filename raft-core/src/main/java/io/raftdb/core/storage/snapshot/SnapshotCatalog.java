package io.raftdb.core.storage.snapshot;

import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.StorageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which snapshots a store holds, newest first, and the rule that it keeps only the newest few.
 *
 * <p>Threading: a snapshot is saved on a background thread while the node's loop reads, ships and
 * receives snapshots. Reads take a short lock around the list and never wait for I/O.
 * {@link #publish} runs one at a time under a second lock, so that "is it already stored?", the
 * step that makes it durable under its final name, and the list update happen as one; that lock
 * is held across the rename and directory sync but never across the writing of a snapshot's
 * bytes, which happens before.
 *
 * @param <T> what the store keeps per snapshot (a file, an array)
 */
final class SnapshotCatalog<T> {
  /** The action that makes a verified snapshot durable under its final name. */
  @FunctionalInterface
  interface Install {
    void run() throws IOException;
  }

  /**
   * The outcome of {@link #publish}.
   *
   * @param stored the entry now stored for that index and term: the new one, or the one that was
   *     already there (then the new one was not installed and its bytes are to be discarded)
   * @param alreadyStored whether a snapshot of that index and term was stored before
   * @param dropped entries no longer among the newest kept, to be deleted (they may include the
   *     new one, if it is older than all those kept)
   */
  record Publication<T>(T stored, boolean alreadyStored, List<T> dropped) {}

  private static final Comparator<SnapshotInfo> NEWEST_FIRST = Comparator
      .comparingLong(SnapshotInfo::index).thenComparingLong(SnapshotInfo::term).reversed();

  private final int keep;
  private final Function<T, SnapshotInfo> infoOf;
  private final Object listLock = new Object();
  private final Object publishLock = new Object();
  /** Newest first; replaced, never changed in place. Guarded by {@link #listLock}. */
  private List<T> newestFirst = List.of();

  /** An empty catalog that will keep the newest {@code keep} snapshots. */
  SnapshotCatalog(int keep, Function<T, SnapshotInfo> infoOf) {
    if (keep < 1) {
      throw new IllegalArgumentException("a snapshot store must keep at least 1 snapshot, got "
          + keep);
    }
    this.keep = keep;
    this.infoOf = infoOf;
  }

  /** How many snapshots are kept. */
  int keep() {
    return keep;
  }

  /** The newest entry, if any. */
  Optional<T> newest() {
    synchronized (listLock) {
      return newestFirst.isEmpty() ? Optional.empty() : Optional.of(newestFirst.get(0));
    }
  }

  /** Every entry, newest first. */
  List<T> entries() {
    synchronized (listLock) {
      return newestFirst;
    }
  }

  /**
   * The entry for the snapshot that {@code snapshot} describes.
   *
   * @throws StorageException if it is not stored: never stored here, or deleted since as older
   *     than the newest kept
   */
  T require(SnapshotInfo snapshot, String store) {
    synchronized (listLock) {
      for (T entry : newestFirst) {
        SnapshotInfo info = infoOf.apply(entry);
        if (info.index() == snapshot.index() && info.term() == snapshot.term()) {
          return entry;
        }
      }
    }
    throw new StorageException("snapshot " + snapshot.index() + "@" + snapshot.term()
        + " is not in " + store + ": never stored there, or deleted since as older than the "
        + keep + " newest");
  }

  /**
   * Adds a verified snapshot: unless one of the same index and term is stored already, runs
   * {@code install} and then lists {@code entry}, dropping whatever falls out of the newest kept.
   * If {@code install} throws, nothing changes.
   */
  Publication<T> publish(T entry, Install install) throws IOException {
    SnapshotInfo info = infoOf.apply(entry);
    synchronized (publishLock) {
      for (T existing : entries()) {
        SnapshotInfo other = infoOf.apply(existing);
        if (other.index() == info.index() && other.term() == info.term()) {
          return new Publication<>(existing, true, List.of());
        }
      }
      install.run();
      synchronized (listLock) {
        List<T> all = new ArrayList<>(newestFirst);
        all.add(entry);
        all.sort(Comparator.comparing(infoOf, NEWEST_FIRST));
        List<T> dropped = all.size() > keep ? List.copyOf(all.subList(keep, all.size()))
            : List.of();
        newestFirst = List.copyOf(all.subList(0, Math.min(keep, all.size())));
        return new Publication<>(entry, false, dropped);
      }
    }
  }

  /**
   * Lists entries found when a store opens (distinct, verified); returns those beyond the newest
   * kept, to be deleted. For a store's construction, before it is shared.
   */
  List<T> restore(List<T> entries) {
    List<T> all = new ArrayList<>(entries);
    all.sort(Comparator.comparing(infoOf, NEWEST_FIRST));
    synchronized (listLock) {
      newestFirst = List.copyOf(all.subList(0, Math.min(keep, all.size())));
    }
    return all.size() > keep ? List.copyOf(all.subList(keep, all.size())) : List.of();
  }
}
