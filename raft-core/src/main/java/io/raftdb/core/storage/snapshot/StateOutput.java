package io.raftdb.core.storage.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The stream a {@code StateMachine.SnapshotWriter} writes its state to: it buffers the bytes,
 * counts them and checksums them on their way to a sink, so that the state never has to be held
 * whole anywhere and its length and CRC32C are known when the writer returns.
 *
 * <p>{@link #close()} flushes to the sink but leaves the sink open (the store still has the header
 * and trailer to write), and later writes fail, so a writer that closes the stream it was handed,
 * or keeps it and writes after returning, does no harm. Not thread-safe: one writer.
 */
final class StateOutput extends OutputStream {
  static final int BUFFER_BYTES = 64 * 1024;

  private final OutputStream sink;
  private final long maxLength;
  private final byte[] buffer = new byte[BUFFER_BYTES];
  private final CRC32C crc = new CRC32C();
  private int buffered;
  private long length;
  private boolean closed;

  /**
   * A stream to {@code sink} that refuses more than {@code maxLength} bytes with an
   * {@link IOException} (a store in memory cannot hold more than an array).
   */
  StateOutput(OutputStream sink, long maxLength) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.maxLength = maxLength;
  }

  /** The number of bytes written. */
  long length() {
    return length;
  }

  /** The CRC32C of the bytes written; complete once the stream is closed. */
  int checksum() {
    return (int) crc.getValue();
  }

  @Override
  public void write(int b) throws IOException {
    reserve(1);
    if (buffered == buffer.length) {
      drain();
    }
    buffer[buffered++] = (byte) b;
  }

  @Override
  public void write(byte[] bytes, int offset, int count) throws IOException {
    Objects.checkFromIndexSize(offset, count, bytes.length);
    reserve(count);
    if (count > buffer.length - buffered) {
      drain();
      if (count >= buffer.length) {
        // A large write goes straight through: copying it into the buffer gains nothing.
        crc.update(bytes, offset, count);
        sink.write(bytes, offset, count);
        return;
      }
    }
    System.arraycopy(bytes, offset, buffer, buffered, count);
    buffered += count;
  }

  @Override
  public void flush() throws IOException {
    if (!closed) {
      drain();
      sink.flush();
    }
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      flush();
      closed = true;
    }
  }

  private void reserve(int count) throws IOException {
    if (closed) {
      throw new IOException("the snapshot stream is closed: the state was already taken");
    }
    if (count > maxLength - length) {
      throw new IOException("the state exceeds the limit of " + maxLength
          + " bytes of this snapshot store");
    }
    length += count;
  }

  private void drain() throws IOException {
    if (buffered > 0) {
      crc.update(buffer, 0, buffered);
      sink.write(buffer, 0, buffered);
      buffered = 0;
    }
  }
}
