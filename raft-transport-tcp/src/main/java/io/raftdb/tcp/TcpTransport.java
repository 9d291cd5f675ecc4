package io.raftdb.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.raftdb.NodeId;
import io.raftdb.message.MessageCodec;
import io.raftdb.message.RaftMessage;
import io.raftdb.transport.MessageHandler;
import io.raftdb.transport.Transport;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's (or client's) TCP endpoint. It listens on its own address if it has one, keeps one
 * outbound connection per member ({@link PeerLink}), and reads messages from every connection,
 * inbound or outbound.
 *
 * <p>Clients have no address: a message to an id that is not a member goes back over the
 * connection that id last sent from (a client's replies ride its own connection). A frame is the
 * shared codec's frame, whose header carries its length; the codec checks it again.
 *
 * <p>{@link #send} encodes on the caller's thread and never blocks: each destination has a
 * bounded queue, flushed once per batch on the I/O thread; what does not fit is dropped and
 * counted ({@link #droppedMessages()}).
 */
public final class TcpTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(TcpTransport.class);
  /** Where the codec's frame header keeps the body length, and what follows the body. */
  private static final int LENGTH_OFFSET = 2;
  private static final int CRC_BYTES = 4;

  private final NodeId self;
  private final InetSocketAddress listenAddress;
  private final TcpOptions options;
  private final SslContext serverTls;
  private final SslContext clientTls;
  private final EventLoopGroup group;
  /** Links to the members; added to when the membership names new ones (any thread reads). */
  private final Map<NodeId, PeerLink> peers = new ConcurrentHashMap<>();
  private final Bootstrap bootstrap;
  /** Set once {@link #start} has connected the links; guarded by {@code this}. */
  private boolean linksConnected;
  private final Map<NodeId, Channel> clientRoutes = new ConcurrentHashMap<>();
  private final Map<Channel, OutboundQueue> inboundQueues = new ConcurrentHashMap<>();
  /** Every open connection, closed explicitly on close (not left to the event loop's end). */
  private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile MessageHandler handler;
  private volatile Channel server;
  private volatile Channel clientServer;
  private volatile boolean closed;

  TcpTransport(NodeId self, Map<NodeId, String> addresses, TcpOptions options) {
    this.self = Objects.requireNonNull(self, "self");
    this.options = options;
    this.listenAddress = addresses.containsKey(self)
        ? HostPort.parse("node " + self, addresses.get(self)) : null;
    this.serverTls = options.tls() == null ? null : Tls.server(options.tls());
    this.clientTls = options.tls() == null ? null : Tls.client(options.tls());
    Map<NodeId, InetSocketAddress> parsed = new LinkedHashMap<>();
    addresses.forEach((id, a) -> {
      if (!id.equals(self)) {
        parsed.put(id, HostPort.parse("member " + id, a));
      }
    });
    this.group = NettyIo.group(options.ioThreads(), "raftdb-tcp-" + self.value());
    this.bootstrap = new Bootstrap().group(group).channel(NettyIo.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
        .handler(pipeline(true, false));
    parsed.forEach((id, a) -> peers.put(id, link(id, a)));
  }

  private PeerLink link(NodeId id, InetSocketAddress address) {
    return new PeerLink(id.value(), address, bootstrap, options,
        new OutboundQueue(options.outboundBufferBytes(), dropped));
  }

  /**
   * Connects to members it did not know, at the addresses the membership gives; a malformed
   * address is logged and skipped (the member stays unreachable from here, nothing else breaks).
   */
  @Override
  public void learnAddresses(Map<NodeId, String> addresses) {
    addresses.forEach((id, address) -> {
      if (id.equals(self) || peers.containsKey(id)) {
        return;
      }
      InetSocketAddress parsed;
      try {
        parsed = HostPort.parse("member " + id, address);
      } catch (IllegalArgumentException e) {
        log.warn("cannot reach new member {}: {}", id, e.getMessage());
        return;
      }
      PeerLink link = link(id, parsed);
      synchronized (this) {
        if (closed || peers.putIfAbsent(id, link) != null) {
          return;
        }
        if (linksConnected) {
          link.connect();
        }
      }
      log.info("{} reaches new member {} at {}", self, id, address);
    });
  }

  /**
   * Listens (if this endpoint has an address) and connects to every member.
   *
   * @throws IllegalStateException if the address cannot be bound, naming it and why
   */
  @Override
  public void start(MessageHandler messageHandler) {
    Objects.requireNonNull(messageHandler, "handler");
    synchronized (this) {
      if (closed || handler != null) {
        throw new IllegalStateException("TCP transport of " + self + " is "
            + (closed ? "closed" : "already started"));
      }
      handler = messageHandler;
    }
    if (listenAddress != null) {
      server = listen(listenAddress, false);
    }
    if (options.clientAddress() != null) {
      clientServer = listen(HostPort.parse(TcpOptions.CLIENT_ADDRESS, options.clientAddress()),
          true);
    }
    synchronized (this) {
      peers.values().forEach(PeerLink::connect);
      linksConnected = true;
    }
  }

  /**
   * Binds a listener; one for clients only ({@code clientsOnly}) closes a connection that sends
   * anything but client messages.
   */
  private Channel listen(InetSocketAddress address, boolean clientsOnly) {
    InetSocketAddress bindTo = new InetSocketAddress(address.getHostString(), address.getPort());
    var bound = new ServerBootstrap().group(group).channel(NettyIo.serverChannel())
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark())
        .childHandler(pipeline(false, clientsOnly))
        .bind(bindTo).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      close();
      throw new IllegalStateException("node " + self + " cannot listen on "
          + bindTo.getHostString() + ":" + bindTo.getPort() + ": " + bound.cause().getMessage(),
          bound.cause());
    }
    return bound.channel();
  }

  @Override
  public void send(NodeId to, RaftMessage message) {
    if (closed) {
      return;
    }
    OutboundQueue queue = queueFor(to);
    if (queue == null) {
      dropped.incrementAndGet();
      return;
    }
    byte[] frame;
    try {
      frame = MessageCodec.encode(message);
    } catch (IllegalArgumentException e) {
      // Above the codec's frame or entry-count limit: the node should never build one.
      dropped.incrementAndGet();
      log.warn("dropping a message to {} that cannot be encoded: {}", to, e.getMessage());
      return;
    }
    if (frame.length > options.maxFrameBytes()) {
      dropped.incrementAndGet();
      log.warn("dropping a {}-byte message to {}: above the {}-byte frame limit", frame.length,
          to, options.maxFrameBytes());
      return;
    }
    queue.add(frame);
  }

  private OutboundQueue queueFor(NodeId to) {
    PeerLink link = peers.get(to);
    if (link != null) {
      return link.queue;
    }
    Channel route = clientRoutes.get(to);
    return route == null ? null : inboundQueues.get(route);
  }

  /** A decoded message from {@code channel}: remembers the way back to a non-member, delivers. */
  void received(Channel channel, RaftMessage message) {
    NodeId from = message.from();
    // A client's route changes only when it reconnects: write the map only then, not per message.
    if (!peers.containsKey(from) && !from.equals(self) && clientRoutes.get(from) != channel
        && inboundQueues.containsKey(channel)) {
      clientRoutes.put(from, channel);
    }
    MessageHandler h = handler;
    if (h != null && !closed) {
      h.onMessage(message);
    }
  }

  /** Counts a connection closed for a malformed or oversized frame. */
  void refused() {
    refused.incrementAndGet();
  }

  /** Messages dropped: full queues, no connection, no route, too large. */
  public long droppedMessages() {
    return dropped.get();
  }

  /** Connections closed because the other side sent a malformed or oversized frame. */
  public long refusedConnections() {
    return refused.get();
  }

  /** The address this endpoint listens on for clients only, or {@code null}. */
  public InetSocketAddress clientAddress() {
    Channel s = clientServer;
    return s == null ? null : (InetSocketAddress) s.localAddress();
  }

  /** The address this endpoint listens on, or {@code null} (a client). */
  public InetSocketAddress localAddress() {
    Channel s = server;
    return s == null ? null : (InetSocketAddress) s.localAddress();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    peers.values().forEach(PeerLink::close);
    for (Channel s : new Channel[] {server, clientServer}) {
      if (s != null) {
        s.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
    }
    for (Channel c : connections) {
      c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }

  private WriteBufferWaterMark waterMark() {
    int high = (int) Math.min(Integer.MAX_VALUE, Math.max(options.outboundBufferBytes() / 2,
        64 * 1024));
    return new WriteBufferWaterMark(high / 2, high);
  }

  private ChannelInitializer<Channel> pipeline(boolean outbound, boolean clientsOnly) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        connections.add(ch);
        ch.closeFuture().addListener(f -> connections.remove(ch));
        if (closed) {
          ch.close();
          return;
        }
        if (outbound ? clientTls != null : serverTls != null) {
          ch.pipeline().addLast("tls", (outbound ? clientTls : serverTls).newHandler(ch.alloc()));
        }
        ch.pipeline().addLast("frames", new LengthFieldBasedFrameDecoder(
            options.maxFrameBytes(), LENGTH_OFFSET, Integer.BYTES, CRC_BYTES, 0));
        ch.pipeline().addLast("messages", new FrameHandler(TcpTransport.this, clientsOnly));
        if (!outbound) {
          OutboundQueue replies = new OutboundQueue(options.outboundBufferBytes(), dropped);
          ch.attr(FrameHandler.QUEUE).set(replies);
          inboundQueues.put(ch, replies);
          ch.closeFuture().addListener(f -> {
            inboundQueues.remove(ch);
            clientRoutes.values().removeIf(c -> c == ch);
          });
          replies.attach(ch);
        }
      }
    };
  }

  @Override
  public String toString() {
    return "TcpTransport[" + self + (listenAddress == null ? "" : " @ " + listenAddress)
        + (NettyIo.nativeEpoll() ? ", epoll" : ", nio") + (serverTls != null ? ", TLS" : "") + "]";
  }
}
