package io.raftdb.server.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.raftdb.NodeStatus;
import io.raftdb.kv.BatchResult;
import io.raftdb.kv.ByteString;
import io.raftdb.kv.KvCodec;
import io.raftdb.kv.KvCommand;
import io.raftdb.kv.KvLimits;
import io.raftdb.kv.KvQuery;
import io.raftdb.kv.KvStateMachine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the runs of one event loop's connections are joined into batches and answered. */
class StoreBatcherTest {
  private static final KvLimits LIMITS = KvLimits.defaults().withMaxScanBytes(1000);

  private final EventLoop loop = new DefaultEventLoop();
  private final LocalStore store = new LocalStore();
  private final StoreBatcher batcher = new StoreBatcher(loop, store, new RespStats());

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  @Test
  void runsStartedInOnePassGoAsOneBatchAndEachGetsItsOwnOutcomes() throws Exception {
    List<CompletableFuture<StoreBatcher.Share>> shares = onLoop(() -> {
      List<CompletableFuture<StoreBatcher.Share>> started = new ArrayList<>();
      for (int connection = 0; connection < 64; connection++) {
        started.add(batcher.write(List.of(KvCommand.put(s("k" + connection), s("v")),
            KvCommand.append(s("k" + connection), s("!"))), 10));
      }
      return started;
    });
    for (int connection = 0; connection < 64; connection++) {
      StoreBatcher.Share share = shares.get(connection).get(10, TimeUnit.SECONDS);
      assertEquals(2L, (Long) share.batch().get(share.offset() + 1), "the length after APPEND");
    }
    assertEquals(List.of(128), store.writeBatchSizes, "one batch of every run's commands");
  }

  @Test
  void aFullBatchGoesAtOnceAndTheRestFollows() throws Exception {
    int runs = StoreBatcher.MAX_REQUESTS / 2 + 1;
    List<CompletableFuture<StoreBatcher.Share>> shares = onLoop(() -> {
      List<CompletableFuture<StoreBatcher.Share>> started = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        started.add(batcher.write(List.of(KvCommand.put(s("a" + i), s("1")),
            KvCommand.put(s("b" + i), s("2"))), 4));
      }
      return started;
    });
    for (CompletableFuture<StoreBatcher.Share> share : shares) {
      share.get(10, TimeUnit.SECONDS);
    }
    assertEquals(List.of(StoreBatcher.MAX_REQUESTS, 2), store.writeBatchSizes);
  }

  @Test
  void aRunPastAnotherRunsLargeAnswersIsAskedAgainNotFailed() throws Exception {
    onLoop(() -> batcher.write(List.of(KvCommand.put(s("big"), s("x".repeat(900))),
        KvCommand.put(s("huge"), s("y".repeat(900))), KvCommand.put(s("small"), s("z"))), 0))
        .get(10, TimeUnit.SECONDS);
    List<CompletableFuture<StoreBatcher.Share>> shares = onLoop(() -> List.of(
        batcher.read(List.of(KvQuery.get(s("big")), KvQuery.get(s("huge"))), 0),
        batcher.read(List.of(KvQuery.get(s("small"))), 0)));
    StoreBatcher.Share second = shares.get(1).get(10, TimeUnit.SECONDS);
    assertEquals(Optional.of(s("z")), second.batch().get(second.offset()));
    assertEquals(List.of(3, 1), store.readBatchSizes, "the second run was read again, alone");
    StoreBatcher.Share first = shares.get(0).get(10, TimeUnit.SECONDS);
    assertFalse(first.batch().failed(first.offset() + 1), "900 + 900 bytes: the budget is"
        + " passed only after the second answer");
  }

  @Test
  void aFailedBatchFailsEveryRunInIt() throws Exception {
    store.failWrites = true;
    List<CompletableFuture<StoreBatcher.Share>> shares = onLoop(() -> List.of(
        batcher.write(List.of(KvCommand.put(s("a"), s("1"))), 2),
        batcher.write(List.of(KvCommand.put(s("b"), s("1"))), 2)));
    for (CompletableFuture<StoreBatcher.Share> share : shares) {
      assertEquals("no leader", share.handle((ok, failure) -> failure.getMessage())
          .get(10, TimeUnit.SECONDS));
    }
  }

  private <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
    return loop.submit(task).get(10, TimeUnit.SECONDS);
  }

  private static ByteString s(String text) {
    return ByteString.copyOf(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The store in this process: each batch applied or read at once, off the loop. */
  private static final class LocalStore implements KvBackend {
    private final KvStateMachine kv = new KvStateMachine(LIMITS);
    private final KvCodec codec = new KvCodec(LIMITS);
    final List<Integer> writeBatchSizes = new ArrayList<>();
    final List<Integer> readBatchSizes = new ArrayList<>();
    volatile boolean failWrites;
    private long index;

    @Override
    public synchronized CompletableFuture<BatchResult> write(List<KvCommand<?>> commands) {
      writeBatchSizes.add(commands.size());
      if (failWrites) {
        return CompletableFuture.failedFuture(new IllegalStateException("no leader"));
      }
      KvCommand.Batch batch = KvCommand.batch(commands);
      byte[] result = kv.apply(++index, codec.encode(batch));
      return CompletableFuture.supplyAsync(() -> codec.decodeResult(batch, result));
    }

    @Override
    public synchronized CompletableFuture<BatchResult> read(List<KvQuery<?>> queries) {
      readBatchSizes.add(queries.size());
      KvQuery.Batch batch = KvQuery.batch(queries);
      byte[] result = kv.query(codec.encode(batch));
      return CompletableFuture.supplyAsync(() -> codec.decodeResult(batch, result));
    }

    @Override
    public NodeStatus status() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }
}
