package io.raftdb.tcp;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Netty's native epoll on Linux when its library loads, Java NIO otherwise: shared by this
 * transport and the other network front ends of a node (such as the key-value server's RESP port).
 */
public final class NettyIo {
  private NettyIo() {}

  /** Whether Netty's native epoll transport is in use. */
  public static boolean nativeEpoll() {
    return Epoll.isAvailable();
  }

  /** An event loop group of {@code threads} daemon threads named after {@code name}. */
  public static EventLoopGroup group(int threads, String name) {
    IoHandlerFactory io = nativeEpoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
  }

  /** The client socket channel class that goes with {@link #group}. */
  public static Class<? extends Channel> socketChannel() {
    return nativeEpoll() ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** The server socket channel class that goes with {@link #group}. */
  public static Class<? extends ServerChannel> serverChannel() {
    return nativeEpoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }
}
