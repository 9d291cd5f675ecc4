package io.raftdb.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one outbound connection to one peer: connects at start, and after every failure or loss
 * reconnects with exponential back-off and jitter, so that a group restarting together does not
 * reconnect in lockstep. Messages wait in the peer's {@link OutboundQueue} while it connects;
 * a failed attempt drops them (they are stale by the next one, and Raft resends).
 */
final class PeerLink {
  private static final Logger log = LoggerFactory.getLogger(PeerLink.class);

  private final String peer;
  private final InetSocketAddress address;
  private final Bootstrap bootstrap;
  private final TcpOptions options;
  final OutboundQueue queue;
  private volatile long backoffMillis;
  private volatile boolean closed;
  private volatile Channel channel;
  private boolean wasConnected;

  PeerLink(String peer, InetSocketAddress address, Bootstrap bootstrap, TcpOptions options,
      OutboundQueue queue) {
    this.peer = peer;
    this.address = address;
    this.bootstrap = bootstrap;
    this.options = options;
    this.queue = queue;
    this.backoffMillis = options.minReconnectDelay().toMillis();
  }

  void connect() {
    if (closed) {
      return;
    }
    ChannelFuture attempt = bootstrap.connect(
        new InetSocketAddress(address.getHostString(), address.getPort()));
    attempt.addListener(f -> {
      if (!f.isSuccess()) {
        if (wasConnected) {
          log.debug("cannot reach {} at {}: {}", peer, address, f.cause().toString());
        }
        queue.clear();
        retryLater();
        return;
      }
      Channel c = attempt.channel();
      if (closed) {
        c.close();
        return;
      }
      if (c.localAddress().equals(c.remoteAddress())) {
        // TCP simultaneous open: connecting to a free port of the ephemeral range can pick that
        // very port as the source and connect to itself, and would stay so forever.
        log.debug("connected to itself instead of {} at {}; retrying", peer, address);
        c.close();
        retryLater();
        return;
      }
      channel = c;
      wasConnected = true;
      // Only a usable connection resets the back-off: one whose TLS handshake then fails must
      // not make the next attempt immediate, or a misconfigured peer is hammered.
      SslHandler tls = c.pipeline().get(SslHandler.class);
      if (tls == null) {
        backoffMillis = options.minReconnectDelay().toMillis();
      } else {
        tls.handshakeFuture().addListener(h -> {
          if (h.isSuccess()) {
            backoffMillis = options.minReconnectDelay().toMillis();
          }
        });
      }
      c.attr(FrameHandler.QUEUE).set(queue);
      queue.attach(c);
      c.closeFuture().addListener(lost -> {
        queue.attach(null);
        queue.clear();
        retryLater();
      });
    });
  }

  private void retryLater() {
    if (closed) {
      return;
    }
    long delay = ThreadLocalRandom.current().nextLong(backoffMillis / 2, backoffMillis + 1);
    backoffMillis = Math.min(backoffMillis * 2, options.maxReconnectDelay().toMillis());
    try {
      bootstrap.config().group().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The transport is shutting down.
    }
  }

  void close() {
    closed = true;
    Channel c = channel;
    if (c != null) {
      c.close();
    }
  }
}
