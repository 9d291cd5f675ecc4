package io.raftdb.server.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.raftdb.kv.BatchResult;
import io.raftdb.kv.ByteString;
import io.raftdb.kv.KeyPage;
import io.raftdb.kv.KvException;
import io.raftdb.kv.KvQuery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: runs its commands strictly in order and answers them in order, as a
 * Redis server does, while keeping the store busy. Consecutive writes of a pipeline go to the
 * store as one batch (one log entry, applied in order), consecutive reads as one read; the next
 * run starts when the previous one is answered, so a read sees every earlier write of its
 * connection. Everything here runs on the connection's event loop.
 *
 * <p>Back-pressure: the connection stops reading while too many commands wait or while the client
 * does not take its replies, so neither side's buffers grow without bound.
 */
final class RespConnection extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(RespConnection.class);
  /** Commands received and not yet answered above which reading pauses. */
  static final int MAX_QUEUED = 4096;
  /** The most commands in one run. */
  static final int MAX_RUN_COMMANDS = 1024;
  /** The most argument bytes in one run (one larger command still goes alone). */
  static final int MAX_RUN_BYTES = 1 << 20;
  /** The most keys KEYS returns; SCAN has no such bound. */
  static final int MAX_KEYS = 1_000_000;
  private static final int KEYS_PAGE = 10_000;

  private final RespContext context;
  private final ArrayDeque<RespCommand> queue = new ArrayDeque<>();
  private ConnectionState state;
  private ChannelHandlerContext ctx;
  private StoreBatcher store;
  /** Plans made but not yet run (a run reads one plan past its end), before the queue's. */
  private final ArrayDeque<RespPlan> planned = new ArrayDeque<>();
  private boolean busy;
  private boolean closing;
  /** The request the decoder could not parse; answered once everything before it is. */
  private RespProtocolException malformed;

  RespConnection(RespContext context) {
    this.context = context;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    store = context.batcher(ctx.executor());
    state = new ConnectionState(context.stats().nextConnectionId.incrementAndGet(),
        context.password().isEmpty());
    context.stats().connectedClients.incrementAndGet();
    context.stats().totalConnections.increment();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    queue.clear();
    context.stats().connectedClients.decrementAndGet();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!closing && malformed == null) {
      queue.add((RespCommand) msg);
    }
    if (queue.size() >= MAX_QUEUED) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    drain();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    drain();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    RespProtocolException protocol = protocolError(cause);
    if (protocol != null) {
      // As Redis: the commands before it are answered, then the error, then the connection
      // closes; nothing after it is read.
      context.stats().protocolErrors.increment();
      if (malformed == null) {
        malformed = protocol;
        ctx.channel().config().setAutoRead(false);
        drain();
      }
    } else {
      LOG.debug("RESP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }

  private static RespProtocolException protocolError(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof RespProtocolException p) {
        return p;
      }
    }
    return null;
  }

  /** Runs what can run now: local commands at once, then at most one run for the store. */
  private void drain() {
    if (ctx == null) {
      return;
    }
    ByteBuf out = ctx.alloc().buffer();
    try {
      while (!busy && !closing && ctx.channel().isWritable()) {
        RespPlan plan = nextPlan();
        if (plan == null) {
          break;
        }
        if (plan instanceof RespPlan.Local local) {
          respond(out, local.responder(), Outcomes.NONE);
          if (local.closeAfter()) {
            closing = true;
          }
        } else if (plan instanceof RespPlan.Write first) {
          startRun(first, store::write);
        } else if (plan instanceof RespPlan.Read first) {
          startRun(first, store::read);
        } else if (plan instanceof RespPlan.AllKeys keys) {
          busy = true;
          allKeys(keys.pattern(), ByteString.EMPTY, new ArrayList<>());
        }
      }
    } finally {
      // Also flushes what a finished run wrote before calling here.
      if (out.isReadable()) {
        ctx.write(out);
      } else {
        out.release();
      }
      if (closing) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      } else {
        ctx.flush();
      }
    }
    boolean roomToRead = queue.size() < MAX_QUEUED / 2 && ctx.channel().isWritable();
    if (!closing && malformed == null && roomToRead != ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(roomToRead);
    }
  }

  /** The next command's plan; a command refused while planning becomes its error reply. */
  private RespPlan nextPlan() {
    if (!planned.isEmpty()) {
      return planned.poll();
    }
    RespCommand command = queue.poll();
    if (command == null) {
      if (malformed == null) {
        return null;
      }
      String error = "ERR " + malformed.getMessage();
      return new RespPlan.Local((out, o) -> Replies.error(out, error), true);
    }
    context.stats().commandsProcessed.increment();
    try {
      return RespCommands.plan(command, state, context);
    } catch (RespError e) {
      return new RespPlan.Local((out, o) -> Replies.error(out, e.getMessage()));
    }
  }

  /** Starts a run: {@code first} and the steps of its kind that follow it, within the bounds. */
  private <R> void startRun(RespPlan.StoreStep<R> first,
      BiFunction<List<R>, Integer, CompletableFuture<StoreBatcher.Share>> send) {
    List<RespPlan.StoreStep<R>> run = new ArrayList<>();
    List<R> requests = new ArrayList<>();
    int bytes = 0;
    RespPlan plan = first;
    while (plan != null && plan.getClass() == first.getClass() && run.size() < MAX_RUN_COMMANDS
        && (run.isEmpty() || bytes + ((RespPlan.StoreStep<?>) plan).bytes() <= MAX_RUN_BYTES)) {
      @SuppressWarnings("unchecked") // the same record class as first, so the same requests
      RespPlan.StoreStep<R> step = (RespPlan.StoreStep<R>) plan;
      run.add(step);
      requests.addAll(step.requests());
      bytes += step.bytes();
      plan = nextPlan();
    }
    if (plan != null) {
      planned.addFirst(plan);
    }
    busy = true;
    send.apply(requests, bytes).whenComplete((share, failure) -> { // on the event loop
      ByteBuf out = ctx.alloc().buffer();
      int offset = failure == null ? share.offset() : 0;
      for (int i = 0; i < run.size(); i++) {
        RespPlan.StoreStep<R> step = run.get(i);
        if (failure != null) {
          Replies.error(out, RespFailures.describe(failure));
        } else if (i > 0 && StoreBatcher.pastTheAnswerBudget(share.batch(), offset,
            step.requests().size())) {
          // The commands before took the batch's answer budget: the rest run again.
          for (int j = run.size() - 1; j >= i; j--) {
            planned.addFirst(run.get(j));
          }
          break;
        } else {
          respond(out, step.responder(), new Outcomes(share.batch(), offset));
        }
        offset += step.requests().size();
      }
      finishRun(out);
    });
  }

  private void finishRun(ByteBuf out) {
    busy = false;
    if (closing) {
      out.release();
      return;
    }
    ctx.write(out);
    drain(); // flushes
  }

  /** Writes one reply; a refusal found while writing replaces what was written of it. */
  private static void respond(ByteBuf out, RespPlan.Responder responder, Outcomes outcomes) {
    int start = out.writerIndex();
    try {
      responder.reply(out, outcomes);
    } catch (KvException e) {
      out.writerIndex(start);
      Replies.error(out, RespFailures.describe(e));
    } catch (RespError e) {
      out.writerIndex(start);
      Replies.error(out, e.getMessage());
    }
  }

  /** KEYS: page through the matching keys, one linearizable scan per page. */
  private void allKeys(Optional<ByteString> pattern, ByteString from, List<ByteString> found) {
    KvQuery<?> page = KvQuery.scanKeys(from, KEYS_PAGE, pattern);
    store.read(List.of(page), 0).whenComplete((share, failure) -> { // on the event loop
      ByteBuf out = ctx.alloc().buffer();
      try {
        if (failure != null) {
          Replies.error(out, RespFailures.describe(failure));
        } else {
          KeyPage keys = (KeyPage) share.batch().get(share.offset());
          found.addAll(keys.keys());
          if (found.size() > MAX_KEYS) {
            Replies.error(out, "ERR KEYS matched more than " + MAX_KEYS + " keys; use SCAN");
          } else if (keys.nextKey().isPresent() && !closing) {
            out.release();
            allKeys(pattern, keys.nextKey().get(), found);
            return;
          } else {
            Replies.arrayHeader(out, found.size());
            found.forEach(k -> Replies.bulk(out, k));
          }
        }
      } catch (KvException e) {
        out.clear();
        Replies.error(out, RespFailures.describe(e));
      }
      finishRun(out);
    });
  }
}
