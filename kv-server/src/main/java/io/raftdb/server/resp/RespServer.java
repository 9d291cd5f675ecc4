package io.raftdb.server.resp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.raftdb.RaftClient;
import io.raftdb.RaftNode;
import io.raftdb.kv.KvCodec;
import io.raftdb.tcp.NettyIo;
import io.raftdb.tcp.Tls;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A node's Redis-protocol (RESP2) front end: {@code redis-cli}, {@code redis-benchmark} and Redis
 * client libraries talk to RaftDB through it unchanged. Every write is replicated and in a synced
 * log before it is acknowledged; every read is linearizable. Any node serves any command.
 *
 * <p>The commands, their errors and the limits are described in docs/resp.md.
 */
public final class RespServer implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel listener;
  private final KvBackend backend;

  private RespServer(EventLoopGroup group, Channel listener, KvBackend backend) {
    this.group = group;
    this.listener = listener;
    this.backend = backend;
  }

  /**
   * Serves RESP for {@code node}, whose state machine is the key-value store; writes travel
   * through {@code writer}, a client of the node's group that this server owns from now on.
   *
   * @throws IllegalStateException if the address cannot be bound
   */
  public static RespServer start(RespOptions options, RaftNode node, RaftClient writer) {
    return start(options, new RaftKvBackend(node, writer, new KvCodec(options.storeLimits())));
  }

  static RespServer start(RespOptions options, KvBackend backend) {
    RespContext context = new RespContext(backend, options.storeLimits(),
        options.passwordBytes(), new RespStats());
    SslContext ssl = options.tls().map(Tls::server).orElse(null);
    EventLoopGroup group = NettyIo.group(Math.max(1, Runtime.getRuntime().availableProcessors()
        / 2), "raftdb-resp");
    try {
      Channel listener = new ServerBootstrap().group(group)
          .channel(NettyIo.serverChannel())
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.SO_KEEPALIVE, true)
          .childHandler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
              ChannelPipeline p = ch.pipeline();
              if (context.stats().connectedClients.get() >= options.maxClients()) {
                p.addLast(new Refuse());
                return;
              }
              if (ssl != null) {
                p.addLast(ssl.newHandler(ch.alloc()));
              }
              p.addLast(new RespDecoder(options.wireLimits()));
              p.addLast(new RespConnection(context));
            }
          })
          .bind(options.host(), options.port()).syncUninterruptibly().channel();
      return new RespServer(group, listener, backend);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      backend.close();
      throw new IllegalStateException("cannot serve RESP on " + options.host() + ":"
          + options.port() + ": " + e.getMessage(), e);
    }
  }

  /** Where it listens (with the port chosen, if 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  /** Stops listening, closes every connection and the writing client. */
  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    backend.close();
  }

  /** Redis's answer to a connection over {@code maxclients}. */
  private static final class Refuse extends io.netty.channel.ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ByteBuf out = ctx.alloc().buffer();
      Replies.error(out, "ERR max number of clients reached");
      ctx.writeAndFlush(out).addListener(f -> ctx.close());
    }
  }
}
