package io.raftdb.core.storage.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file channel that behaves like the real one it wraps until an operation is told to fail:
 * then {@link #force} or {@link #write} throws as a dying disk or a full file system would.
 */
final class FailingFileChannel extends FileChannel {
  private final FileChannel delegate;
  private final boolean failWrite;
  private final boolean failForce;

  FailingFileChannel(FileChannel delegate, boolean failWrite, boolean failForce) {
    this.delegate = delegate;
    this.failWrite = failWrite;
    this.failForce = failForce;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (failWrite) {
      int half = src.remaining() / 2;
      ByteBuffer part = src.duplicate();
      part.limit(part.position() + half);
      delegate.write(part); // a torn write: some bytes land, then the device gives up
      throw new IOException("No space left on device (injected)");
    }
    return delegate.write(src);
  }

  @Override
  public void force(boolean metaData) throws IOException {
    if (failForce) {
      throw new IOException("Input/output error (injected)");
    }
    delegate.force(metaData);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return delegate.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return delegate.read(dsts, offset, length);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    return delegate.write(srcs, offset, length);
  }

  @Override
  public long position() throws IOException {
    return delegate.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    delegate.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return delegate.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    delegate.truncate(size);
    return this;
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target)
      throws IOException {
    return delegate.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count)
      throws IOException {
    return delegate.transferFrom(src, position, count);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return delegate.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    return delegate.write(src, position);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return delegate.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return delegate.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return delegate.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    delegate.close();
  }
}
