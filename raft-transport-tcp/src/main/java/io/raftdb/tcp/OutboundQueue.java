package io.raftdb.tcp;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The frames waiting for one destination, bounded in bytes. Senders on any thread add encoded
 * frames; one flush task on the channel's I/O thread writes everything waiting and flushes once,
 * so a burst of messages costs one system call, not one each. When the bound is reached, or the
 * channel cannot take more (a slow or dead peer), frames are dropped and counted: Raft
 * retransmits, and the node's own thread never waits for the network.
 */
final class OutboundQueue {
  private final ConcurrentLinkedQueue<byte[]> frames = new ConcurrentLinkedQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final long maxBytes;
  private final AtomicLong dropped;
  private volatile Channel channel;

  OutboundQueue(long maxBytes, AtomicLong dropped) {
    this.maxBytes = maxBytes;
    this.dropped = dropped;
  }

  /** Queues an encoded message; drops it if the destination's buffer is full. */
  void add(byte[] frame) {
    if (queuedBytes.addAndGet(frame.length) > maxBytes) {
      queuedBytes.addAndGet(-frame.length);
      dropped.incrementAndGet();
      return;
    }
    frames.add(frame);
    scheduleFlush();
  }

  /** Writes through {@code channel} from now on (null: hold frames until there is one). */
  void attach(Channel newChannel) {
    this.channel = newChannel;
    if (newChannel != null) {
      scheduleFlush();
    }
  }

  /** Drops everything waiting: the connection failed, and what waited is stale. */
  void clear() {
    byte[] f;
    while ((f = frames.poll()) != null) {
      queuedBytes.addAndGet(-f.length);
      dropped.incrementAndGet();
    }
  }

  /** Called when the channel can take writes again. */
  void writable() {
    scheduleFlush();
  }

  private void scheduleFlush() {
    Channel c = channel;
    if (c != null && c.isActive() && !frames.isEmpty() && flushScheduled.compareAndSet(false, true)) {
      c.eventLoop().execute(() -> flush(c));
    }
  }

  private void flush(Channel c) {
    flushScheduled.set(false);
    boolean wrote = false;
    byte[] f;
    while (c.isWritable() && (f = frames.poll()) != null) {
      queuedBytes.addAndGet(-f.length);
      // The codec's frame carries its own length; it goes out as it is, without a copy.
      c.write(Unpooled.wrappedBuffer(f), c.voidPromise());
      wrote = true;
    }
    if (wrote) {
      c.flush();
    }
    // A sender may have added a frame after the loop ended and seen the flag still set.
    if (c.isWritable()) {
      scheduleFlush();
    }
  }
}
