package io.raftdb.core.storage.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * Reads the byte range {@code [from, from + length)} of a file and then reports the end, so that
 * a state machine restoring a snapshot sees its own bytes and not the checksum after them.
 * Unbuffered; closing it closes the channel. Not thread-safe.
 */
final class ChannelRangeInputStream extends InputStream {
  private final FileChannel channel;
  private long position;
  private long left;

  ChannelRangeInputStream(FileChannel channel, long from, long length) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.position = from;
    this.left = length;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] into, int offset, int count) throws IOException {
    Objects.checkFromIndexSize(offset, count, into.length);
    if (count == 0) {
      return 0;
    }
    if (left == 0) {
      return -1;
    }
    int n = channel.read(ByteBuffer.wrap(into, offset, (int) Math.min(count, left)), position);
    if (n < 0) {
      throw new IOException("the snapshot file ends " + left + " bytes early: it was truncated"
          + " after it was verified");
    }
    position += n;
    left -= n;
    return n;
  }

  @Override
  public long skip(long count) {
    long skipped = Math.max(0, Math.min(count, left));
    position += skipped;
    left -= skipped;
    return skipped;
  }

  @Override
  public int available() {
    return (int) Math.min(left, Integer.MAX_VALUE);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
