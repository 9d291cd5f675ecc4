package io.raftdb.core.storage.chronicle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file of the segment being written, seen through a file channel beside Chronicle's memory
 * map: to force it (group commit) and to claim its disk blocks ahead of the records.
 *
 * <p>Why claim blocks: Chronicle writes through a memory map into a sparse file. On a full disk
 * the first write to a new page raises SIGBUS, which HotSpot reports as an {@link InternalError}
 * thrown <em>later</em> — measured on a full tmpfs, after the damaged record had been synced and
 * acknowledged. So the blocks the next records will use are claimed first, where a full disk is
 * an ordinary {@link IOException} before any record is written.
 *
 * <p>How: {@code fallocate} with {@code FALLOC_FL_KEEP_SIZE}, which reserves the blocks without
 * touching the page cache or the file's contents. Where the file system cannot (no
 * {@code fallocate}), each page is read and the same bytes written back; only the store's thread
 * writes the file, so nothing Chronicle wrote can be lost. That fallback fills the page cache
 * with large folios on recent kernels (see {@link SmallPages}), so syncs then write more.
 * Not thread-safe.
 */
final class SegmentFileWriter implements AutoCloseable {
  /** Room for an index array Chronicle may add within a batch (4096 slots of 8 bytes). */
  private static final long INDEX_SLACK = 64 * 1024;
  /** Blocks are claimed this far ahead of what is needed, so claims are rare. */
  private static final int CLAIM_STEP = 256 * 1024;
  private static final long PAGE_MASK = ~4095L;

  private final Path file;
  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(CLAIM_STEP);
  /** File offset just after the last record written. */
  private long writeEnd;
  /** The file is backed by disk blocks up to here. */
  private long claimedEnd;
  /** Reserves blocks without the page cache; null where the system cannot. */
  private final BlockReservation blocks;

  /**
   * Opens the file of a new segment whose header record ends at {@code headerEnd}; claims blocks
   * with {@code fallocate} if {@code fallocate} and the system can.
   */
  SegmentFileWriter(Path file, long headerEnd, boolean fallocate) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    this.writeEnd = headerEnd;
    this.claimedEnd = headerEnd; // Chronicle wrote every page up to here
    this.blocks = fallocate ? BlockReservation.open(file) : null;
  }

  Path file() {
    return file;
  }

  /** Notes that a record now ends at file offset {@code end}. */
  void recordWritten(long end) {
    writeEnd = end;
  }

  /**
   * Makes sure the next {@code bytes} of records land on disk blocks that exist.
   *
   * @throws IOException (no space left on device) before anything of those records is written
   */
  void claim(long bytes) throws IOException {
    long needed = writeEnd + bytes + INDEX_SLACK;
    if (needed <= claimedEnd) {
      return;
    }
    long target = needed + CLAIM_STEP;
    long position = claimedEnd & PAGE_MASK; // from the start of the page holding claimedEnd
    if (blocks != null && blocks.reserve(position, target - position)) {
      claimedEnd = target;
      return;
    }
    while (position < target) {
      buffer.clear();
      while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0) {
        // a positional read may return less than asked; -1 means the end of the file
      }
      while (buffer.hasRemaining()) {
        buffer.put((byte) 0); // past the end of the file: zeros, as Chronicle expects there
      }
      buffer.flip();
      while (buffer.hasRemaining()) {
        channel.write(buffer, position + buffer.position());
      }
      position += buffer.capacity();
    }
    claimedEnd = position;
  }

  /** Makes everything written to the file durable (fdatasync). */
  void force() throws IOException {
    channel.force(false);
  }

  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      if (blocks != null) {
        blocks.close();
      }
    }
  }
}
