package io.raftdb.core.storage.chronicle;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a segment's pages in the page cache at the base page size, so that a group commit writes
 * back the few pages it dirtied, not megabytes.
 *
 * <p>Why: recent Linux kernels cache ext4 files (like XFS ones) in large folios, which readahead
 * grows up to 2 MiB, and a memory-mapped write dirties its whole folio. Measured on this
 * project's machine (Linux 6.18, ext4): the log's mappings held 2 MiB folios, each fdatasync of a
 * few kilobytes of records wrote about 2 MiB, and a node wrote 3.5 GB to log 9 MB. Without
 * readahead on the mapping ({@code MADV_RANDOM}) a page fault brings in one small page; blocks
 * are claimed without the page cache for the same reason ({@link BlockReservation}).
 */
final class SmallPages {
  private static final Logger LOG = LoggerFactory.getLogger(SmallPages.class);
  private static volatile boolean warned;

  private SmallPages() {}

  /** Turns readahead off for {@code store}'s mapping, if it is one; failures only cost speed. */
  static void advise(BytesStore<?, ?> store) {
    if (!(store instanceof MappedBytesStore mapped)) {
      return;
    }
    try {
      long address = mapped.addressForRead(mapped.start());
      int result = PosixAPI.posix().madvise(address, mapped.realCapacity(),
          MAdviseFlag.MADV_RANDOM);
      if (result != 0) {
        warnOnce("madvise(" + Long.toHexString(address) + ", " + mapped.realCapacity()
            + ") returned " + result + ": " + PosixAPI.posix().lastErrorStr());
      }
    } catch (RuntimeException | LinkageError e) {
      warnOnce(e.toString());
    }
  }

  private static void warnOnce(String why) {
    if (!warned) {
      warned = true;
      LOG.warn("cannot turn readahead off for the log's mapping ({}); syncs may write more than"
          + " they need", why);
    }
  }
}
