package io.raftdb.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.AttributeKey;
import io.raftdb.message.CodecException;
import io.raftdb.message.MessageCodec;
import io.raftdb.message.RaftMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of every connection's pipeline, inbound or outbound: decodes each frame the length
 * decoder cut and hands the message to the transport. A frame that does not decode closes this
 * connection, with the reason logged, and touches nothing else.
 */
final class FrameHandler extends SimpleChannelInboundHandler<ByteBuf> {
  /** The queue that writes to a channel, told when the channel can take writes again. */
  static final AttributeKey<OutboundQueue> QUEUE = AttributeKey.valueOf("raftdb.queue");

  private static final Logger log = LoggerFactory.getLogger(FrameHandler.class);

  private final TcpTransport transport;
  /** On a client port: only client messages are taken; a member's message closes it. */
  private final boolean clientsOnly;
  /** Set once this connection is refused: frames already read behind the bad one are ignored. */
  private boolean refused;

  FrameHandler(TcpTransport transport, boolean clientsOnly) {
    this.transport = transport;
    this.clientsOnly = clientsOnly;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    if (refused) {
      return;
    }
    RaftMessage message;
    try {
      ByteBuffer bytes = frame.nioBufferCount() == 1
          ? frame.nioBuffer() : ByteBuffer.wrap(ByteBufUtil.getBytes(frame));
      message = MessageCodec.decode(bytes);
      if (bytes.hasRemaining()) {
        throw new CodecException("frame: " + bytes.remaining() + " bytes after the message");
      }
    } catch (CodecException e) {
      refused = true;
      transport.refused();
      log.warn("closing connection from {}: malformed frame ({})", ctx.channel().remoteAddress(),
          e.getMessage());
      ctx.close();
      return;
    }
    if (clientsOnly && !message.isClientMessage()) {
      refused = true;
      transport.refused();
      log.warn("closing connection from {}: a {} on the client port",
          ctx.channel().remoteAddress(), message.getClass().getSimpleName());
      ctx.close();
      return;
    }
    transport.received(ctx.channel(), message);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    OutboundQueue queue = ctx.channel().attr(QUEUE).get();
    if (queue != null && ctx.channel().isWritable()) {
      queue.writable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  /**
   * A frame too long or with an impossible length, or a failed TLS handshake, is the peer's fault
   * and logged as such; a reset connection is how a crashed peer looks, and only closes.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.debug("connection with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      refused = true;
      transport.refused();
      log.warn("closing connection with {}: {}", ctx.channel().remoteAddress(),
          cause.toString());
    }
    ctx.close();
  }
}
