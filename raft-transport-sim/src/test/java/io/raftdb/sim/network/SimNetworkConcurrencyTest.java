package io.raftdb.sim.network;

import static io.raftdb.sim.network.Messages.B;
import static io.raftdb.sim.network.Messages.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftdb.NodeId;
import io.raftdb.sim.SimNetwork;
import io.raftdb.sim.SimTransport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** labrpc's ConcurrentMany and ConcurrentOne tests: concurrent senders lose nothing. */
@Timeout(60)
class SimNetworkConcurrencyTest {

  private static final int THREADS = 20;
  private static final int PER_THREAD = 10;

  private final SimNetwork network = new SimNetwork(4);
  private final ExecutorService senders = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stop() throws InterruptedException {
    senders.shutdownNow();
    senders.awaitTermination(10, TimeUnit.SECONDS);
    network.close();
  }

  @Test
  void twentySendersOfTenMessagesEachAreAllDelivered() throws Exception {
    Inbox inboxB = new Inbox();
    network.transport(B).start(inboxB);
    List<SimTransport> ends = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      SimTransport end = network.transport(NodeId.of("client" + t));
      end.start(new Inbox());
      ends.add(end);
    }

    runConcurrently(t -> {
      for (int i = 0; i < PER_THREAD; i++) {
        ends.get(t).send(B, request(ends.get(t).self(), t * PER_THREAD + i));
      }
    });

    assertEquals(THREADS * PER_THREAD, network.rpcCount(B));
    assertEquals(THREADS * PER_THREAD, inboxB.size());
    assertEquals(THREADS * PER_THREAD, distinctTags(inboxB));
  }

  @Test
  void twentyThreadsSharingOneTransportAreAllDelivered() throws Exception {
    Inbox inboxB = new Inbox();
    network.transport(B).start(inboxB);
    NodeId shared = NodeId.of("shared");
    SimTransport end = network.transport(shared);
    end.start(new Inbox());

    runConcurrently(t -> end.send(B, request(shared, t)));

    assertEquals(THREADS, network.rpcCount(B));
    assertEquals(THREADS, distinctTags(inboxB));
  }

  private void runConcurrently(IntConsumer body) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      done.add(senders.submit(() -> {
        go.await();
        body.accept(thread);
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
  }

  private static int distinctTags(Inbox inbox) {
    Set<Long> tags = new HashSet<>();
    inbox.messages().forEach(m -> tags.add(Messages.tag(m)));
    return tags.size();
  }
}
