package io.raftdb.sim.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.RaftClient;
import io.raftdb.RaftClientBuilder;
import io.raftdb.RaftConfig;
import io.raftdb.ReadConsistency;
import io.raftdb.SessionExpiredException;
import io.raftdb.message.ClientRequest;
import io.raftdb.message.CommandBatch;
import io.raftdb.message.RaftMessage;
import io.raftdb.testkit.Await;
import io.raftdb.transport.MessageHandler;
import io.raftdb.transport.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link RaftClient} against three real nodes on the simulated network. */
@Timeout(180)
class RaftClientTest {
  private static final Duration LONG = Duration.ofSeconds(60);

  @Test
  void commandsAreAppliedInOrderAndReadsSeeThem() throws Exception {
    try (ClientGroup group = new ClientGroup()) {
      RaftClient client = group.client(LONG);
      for (int i = 1; i <= 30; i++) {
        assertEquals(i, ByteBuffer.wrap(client.submit(bytes("c" + i)).get()).getLong());
        ReadConsistency c = ReadConsistency.values()[i % 2]; // linearizable and lease
        List<String> seen = JournalMachine.lines(client.query(new byte[0], c).get());
        assertEquals(i, seen.size(), "a " + c + " read sees every acknowledged command");
      }
      assertTrue(client.sessionId() > 0);
      assertTrue(client.leader().isPresent());
    }
  }

  @Test
  void aLinearizableReadServedByAFollowerSeesTheLatestWrite() throws Exception {
    try (ClientGroup group = new ClientGroup()) {
      RaftClient writer = group.client(LONG);
      int leader = group.awaitLeader();
      int follower = (leader + 1) % 3;
      for (int i = 1; i <= 20; i++) {
        writer.submit(bytes("w" + i)).get();
        byte[] answer = group.node(follower).query(new byte[0], ReadConsistency.LINEARIZABLE)
            .get(30, TimeUnit.SECONDS);
        assertEquals(i, JournalMachine.lines(answer).size());
      }
    }
  }

  /**
   * Replies are lost and delayed (labrpc's unreliable network), so the client retries commands
   * that were already applied; each must be applied exactly once, in every replica.
   */
  @Test
  void commandsRetriedOnAnUnreliableNetworkAreAppliedOnce() throws Exception {
    try (ClientGroup group = new ClientGroup()) {
      group.network.setReliable(false);
      List<RaftClient> clients = List.of(group.client(LONG), group.client(LONG));
      List<CompletableFuture<byte[]>> futures = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        futures.add(clients.get(i % 2).submit(bytes("u" + i)));
        if (i % 10 == 9) {
          CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
        }
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
      group.network.setReliable(true);
      List<String> journal = JournalMachine.lines(clients.get(0).query(new byte[0]).get());
      assertExactlyOnce(journal, 100, "u");
    }
  }

  /** The leader is cut off with commands in flight; they complete through the new leader once. */
  @Test
  void commandsInFlightAcrossALeaderChangeAreAppliedOnce() throws Exception {
    try (ClientGroup group = new ClientGroup()) {
      RaftClient client = group.client(LONG);
      client.submit(bytes("warm-up")).get();
      List<CompletableFuture<byte[]>> futures = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        int leader = group.awaitLeader();
        for (int i = 0; i < 20; i++) {
          futures.add(client.submit(bytes("r" + round + "-" + i)));
        }
        group.network.disconnect(group.ids.get(leader));
        for (int i = 20; i < 40; i++) {
          futures.add(client.submit(bytes("r" + round + "-" + i)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
        group.network.connect(group.ids.get(leader));
      }
      List<String> journal = JournalMachine.lines(client.query(new byte[0]).get());
      assertEquals(1 + 120, journal.size(), "no command lost or applied twice: " + journal);
      assertEquals(121, new HashSet<>(journal).size());
    }
  }

  /**
   * A session left idle past its timeout (by the leaders' clock carried in the log) expires: its
   * next command fails with {@link SessionExpiredException} and is not applied, and the client's
   * command after that runs in a new session.
   */
  @Test
  void anExpiredSessionGetsItsErrorAndNothingIsAppliedTwice() throws Exception {
    RaftConfig config = RaftConfig.defaults().withElectionTimeout(ClientGroup.ELECTION_TIMEOUT)
        .withHeartbeatInterval(Duration.ofMillis(50)).toBuilder()
        .sessionTimeout(Duration.ofMillis(500)).build();
    try (ClientGroup group = new ClientGroup(config)) {
      RaftClient idle = group.client(LONG, Duration.ofHours(1)); // never keeps itself alive
      RaftClient busy = group.client(LONG);
      idle.submit(bytes("first")).get();
      long firstSession = idle.sessionId();
      Thread.sleep(1_000);
      busy.submit(bytes("moves the log clock")).get();
      ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
          ExecutionException.class, () -> idle.submit(bytes("too late")).get());
      assertInstanceOf(SessionExpiredException.class, e.getCause());
      idle.submit(bytes("again")).get();
      assertTrue(idle.sessionId() > firstSession, "a new session");
      List<String> journal = JournalMachine.lines(busy.query(new byte[0]).get());
      assertEquals(List.of("first", "moves the log clock", "again"), journal);
    }
  }

  /** A session kept alive by its client outlives the timeout many times over. */
  @Test
  void keepAlivesHoldAnIdleSessionOpen() throws Exception {
    RaftConfig config = RaftConfig.defaults().withElectionTimeout(ClientGroup.ELECTION_TIMEOUT)
        .withHeartbeatInterval(Duration.ofMillis(50)).toBuilder()
        .sessionTimeout(Duration.ofMillis(1500)).build();
    try (ClientGroup group = new ClientGroup(config)) {
      RaftClient client = group.client(LONG, Duration.ofMillis(200));
      RaftClient other = group.client(LONG);
      client.submit(bytes("a")).get();
      long session = client.sessionId();
      for (int i = 0; i < 4; i++) {
        Thread.sleep(1_000);
        other.submit(bytes("tick" + i)).get(); // the log clock moves on
      }
      client.submit(bytes("b")).get();
      assertEquals(session, client.sessionId(), "the same session");
    }
  }

  /**
   * A leader cut off in a minority keeps believing it leads for a while; a linearizable or lease
   * read there must never return the state from before the majority's newer writes: it fails or
   * waits, and a read through a client on the majority side sees the writes.
   */
  @Test
  void aReadAtADeposedLeaderInAMinorityNeverReturnsStaleData() throws Exception {
    try (ClientGroup group = new ClientGroup()) {
      RaftClient client = group.client(LONG);
      client.submit(bytes("before")).get();
      int old = group.awaitLeader();
      group.network.disconnect(group.ids.get(old));
      client.submit(bytes("after")).get(); // committed by the majority under a new leader
      for (ReadConsistency c : List.of(ReadConsistency.LINEARIZABLE, ReadConsistency.LEASE)) {
        CompletableFuture<byte[]> read = group.node(old).query(new byte[0], c);
        try {
          List<String> seen = JournalMachine.lines(read.get(10, TimeUnit.SECONDS));
          assertTrue(seen.contains("after"), c + " read at the deposed leader was stale: " + seen);
        } catch (ExecutionException | java.util.concurrent.TimeoutException refusedOrStuck) {
          // Refused (no longer leader, or the read could not be confirmed) or still waiting:
          // both are safe; a stale answer is not.
        }
      }
      assertEquals(List.of("before", "after"),
          JournalMachine.lines(client.query(new byte[0]).get()));
    }
  }

  /**
   * Commands submitted while others are outstanding go together: fewer requests than commands,
   * each command still applied once with a result of its own.
   */
  @Test
  void commandsSubmittedTogetherTravelInBatchesAndApplyOnce() throws Exception {
    try (ClientGroup group = new ClientGroup()) {
      WatchedTransport watched = new WatchedTransport(group, NodeId.of("batching-client"));
      try (RaftClient client = watched.clientBuilder(group).build()) {
        client.submit(bytes("warm-up")).get(); // the session, and the leader found
        int n = 300;
        List<CompletableFuture<byte[]>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          futures.add(client.submit(bytes("b" + i)));
        }
        Set<Long> results = new HashSet<>();
        for (CompletableFuture<byte[]> f : futures) {
          results.add(ByteBuffer.wrap(f.get()).getLong()); // the journal's length after it
        }
        assertEquals(n, results.size(), "each command its own result");
        assertExactlyOnce(JournalMachine.lines(client.query(new byte[0]).get()).subList(1, n + 1),
            n, "b");
        int single = watched.requests(ClientRequest.Op.COMMAND);
        int batches = watched.requests(ClientRequest.Op.COMMANDS);
        assertTrue(batches > 0 && single + batches < n + 1,
            "requests: " + single + " single, " + batches + " batches for " + (n + 1));
      }
    }
  }

  /**
   * A command submitted while others are outstanding is sent without waiting for their replies:
   * with every command request swallowed (no reply ever comes, and the attempt timeout is far
   * off), all of a burst still leave the client, in fewer requests than commands.
   */
  @Test
  void commandsSubmittedUnderLoadAreSentWithoutWaitingForReplies() throws Exception {
    try (ClientGroup group = new ClientGroup()) {
      WatchedTransport watched = new WatchedTransport(group, NodeId.of("eager-client"));
      try (RaftClient client = watched.clientBuilder(group).attemptTimeout(LONG).build()) {
        client.submit(bytes("warm-up")).get();
        watched.swallowCommands = true;
        int n = 200;
        client.submit(bytes("s0")); // alone, at once, on this thread
        // The client's thread, woken for the next ones, is stalled in its first send until the
        // whole burst is queued: were it to run between every two submissions (a loaded
        // machine), the burst would take one request per command up to the cap on requests in
        // flight, and the rest would wait for replies that never come.
        watched.stallNextCommandRequest.set(true);
        for (int i = 1; i < n; i++) {
          client.submit(bytes("s" + i));
        }
        assertTrue(watched.commandRequestStalled.await(LONG.toSeconds(), TimeUnit.SECONDS));
        watched.releaseStalledRequest.countDown();
        Await.until("every command of the burst is sent", LONG,
            () -> watched.commandsSwallowed.get() >= n);
        assertEquals(n, watched.commandsSwallowed.get(), "every command of the burst was sent");
        int requests = watched.requests(ClientRequest.Op.COMMAND)
            + watched.requests(ClientRequest.Op.COMMANDS) - 1; // less the warm-up's
        assertTrue(requests < n, requests + " requests for " + n + " commands");
      }
    }
  }

  /**
   * A caller that keeps a number of commands in flight submits as many again as replies
   * answered: that refill leaves as one request once it is complete, sent on the caller's own
   * thread (no hand-off to the client's thread), and nothing of it leaves before. A request kept
   * in flight (swallowed) makes sure no reply comes meanwhile that would take the queue along.
   */
  @Test
  void aRefillOfAnsweredCommandsLeavesAsOneRequestOnTheCallersThread() throws Exception {
    try (ClientGroup group = new ClientGroup()) {
      WatchedTransport watched = new WatchedTransport(group, NodeId.of("refilling-client"));
      // (a retry pause far longer than the refill takes, so that no timer sweep sends the queue
      // meanwhile, yet short enough for a retry, say of a registration sent before any leader)
      Duration pause = Duration.ofSeconds(5);
      try (RaftClient client = watched.clientBuilder(group).attemptTimeout(LONG)
          .backoff(pause, pause).build()) {
        client.submit(bytes("warm-up")).get();
        watched.commandRequestsToSwallow.set(1);
        CompletableFuture<byte[]> held = client.submit(bytes("held"));
        int window = 5;
        // (their requests are held until all are in, so that no reply comes early and is made up
        // for by the rest of them: the refill then expected is the whole window)
        watched.holdCommandRequests();
        List<CompletableFuture<byte[]>> answered = new ArrayList<>();
        for (int i = 0; i < window; i++) {
          answered.add(client.submit(bytes("a" + i)));
        }
        watched.releaseCommandRequests();
        awaitAll(answered);
        watched.commandRequestsSent.clear();
        List<CompletableFuture<byte[]>> refill = new ArrayList<>();
        for (int i = 0; i < window; i++) {
          assertEquals(List.of(), watched.commandRequestsSent, "sent before the refill was in");
          refill.add(client.submit(bytes("r" + i)));
        }
        assertEquals(List.of(Thread.currentThread().getName() + " sent " + window),
            watched.commandRequestsSent);
        awaitAll(refill);
        assertFalse(held.isDone(), "the held command's request never arrived");
      }
    }
  }

  /**
   * A command left waiting for a refill that never completes and for a reply that was lost is
   * sent once it has waited the shortest retry pause, not held until the lost request's attempt
   * times out (here far beyond the test's wait).
   */
  @Test
  void aQueuedCommandDoesNotWaitForALostRequestsTimeout() throws Exception {
    try (ClientGroup group = new ClientGroup()) {
      WatchedTransport watched = new WatchedTransport(group, NodeId.of("waiting-client"));
      Duration attemptTimeout = Duration.ofMinutes(10);
      try (RaftClient client = watched.clientBuilder(group).callTimeout(attemptTimeout)
          .attemptTimeout(attemptTimeout).build()) {
        client.submit(bytes("warm-up")).get();
        watched.commandRequestsToSwallow.set(1);
        CompletableFuture<byte[]> lost = client.submit(bytes("lost"));
        // their replies: a refill of two expected (held as above)
        watched.holdCommandRequests();
        List<CompletableFuture<byte[]>> answered =
            List.of(client.submit(bytes("a0")), client.submit(bytes("a1")));
        watched.releaseCommandRequests();
        awaitAll(answered);
        client.submit(bytes("alone")).get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertFalse(lost.isDone(), "the lost command's request never arrived");
      }
    }
  }

  /**
   * A wake-up of the client's thread whose commands a request of someone else's took along does
   * not send, when it runs late, part of a refill that has started to come in meanwhile.
   */
  @Test
  void aLateWakeUpOfTheClientsThreadLeavesARefillWhole() throws Exception {
    try (ClientGroup group = new ClientGroup()) {
      WatchedTransport watched = new WatchedTransport(group, NodeId.of("late-client"));
      Duration pause = Duration.ofSeconds(5); // keeps timer sweeps out, as above
      try (RaftClient client = watched.clientBuilder(group).attemptTimeout(LONG)
          .backoff(pause, pause).build()) {
        client.submit(bytes("warm-up")).get();
        watched.commandRequestsToSwallow.set(1);
        CompletableFuture<byte[]> held = client.submit(bytes("held"));
        // the client's thread, woken to send it, is stalled in sending it (never delivered)
        watched.stallNextCommandRequest.set(true);
        client.submit(bytes("stalled"));
        assertTrue(watched.commandRequestStalled.await(LONG.toSeconds(), TimeUnit.SECONDS));
        // so the wake-up for these waits, while the query's request takes them along
        CompletableFuture<byte[]> a0 = client.submit(bytes("a0"));
        CompletableFuture<byte[]> a1 = client.submit(bytes("a1"));
        client.query(new byte[0]).get(LONG.toSeconds(), TimeUnit.SECONDS);
        awaitAll(List.of(a0, a1));
        watched.commandRequestsSent.clear();
        CompletableFuture<byte[]> r0 = client.submit(bytes("r0")); // half the refill
        watched.releaseStalledRequest.countDown();
        Thread.sleep(500); // time for the late wake-up to run; were it to send, r0 would go alone
        CompletableFuture<byte[]> r1 = client.submit(bytes("r1"));
        assertEquals(List.of(Thread.currentThread().getName() + " sent 2"),
            watched.commandRequestsSent);
        awaitAll(List.of(r0, r1));
        assertFalse(held.isDone(), "the held command's request never arrived");
      }
    }
  }

  /**
   * A client's transport on the group's network that counts the requests it sends by kind, notes
   * which thread sent each command request and how many commands it carried, and, once told to,
   * swallows command requests (counting the commands they carry).
   */
  private static final class WatchedTransport implements Transport {
    private final NodeId id;
    private final Transport network;
    private final Map<ClientRequest.Op, AtomicInteger> sent = new ConcurrentHashMap<>();
    final AtomicInteger commandsSwallowed = new AtomicInteger();
    final List<String> commandRequestsSent = Collections.synchronizedList(new ArrayList<>());
    /** Every command request is swallowed while this is on. */
    volatile boolean swallowCommands;
    /** How many of the next command requests are swallowed. */
    final AtomicInteger commandRequestsToSwallow = new AtomicInteger();
    /** The next command request's sender is stalled until released, and it is swallowed. */
    final AtomicBoolean stallNextCommandRequest = new AtomicBoolean();
    final CountDownLatch commandRequestStalled = new CountDownLatch(1);
    final CountDownLatch releaseStalledRequest = new CountDownLatch(1);
    /** Command requests held back, to be sent on release; null when not holding. */
    private List<Runnable> heldCommandRequests;

    WatchedTransport(ClientGroup group, NodeId id) {
      this.id = id;
      this.network = group.network.transport(id);
    }

    RaftClientBuilder clientBuilder(ClientGroup group) {
      return RaftClient.builder().id(id).members(group.ids).transport(this).callTimeout(LONG);
    }

    /** Holds back the command requests sent from now on until {@link #releaseCommandRequests}. */
    synchronized void holdCommandRequests() {
      heldCommandRequests = new ArrayList<>();
    }

    /** Sends the command requests held back, in order, and holds no more. */
    void releaseCommandRequests() {
      List<Runnable> held;
      synchronized (this) {
        held = heldCommandRequests;
        heldCommandRequests = null;
      }
      held.forEach(Runnable::run);
    }

    /** Whether {@code send} was held back, to go on release. */
    private synchronized boolean heldBack(Runnable send) {
      if (heldCommandRequests == null) {
        return false;
      }
      heldCommandRequests.add(send);
      return true;
    }

    int requests(ClientRequest.Op op) {
      return sent.getOrDefault(op, new AtomicInteger()).get();
    }

    @Override
    public void start(MessageHandler handler) {
      network.start(handler);
    }

    @Override
    public void send(NodeId to, RaftMessage message) {
      if (message instanceof ClientRequest r) {
        sent.computeIfAbsent(r.op(), op -> new AtomicInteger()).incrementAndGet();
        boolean single = r.op() == ClientRequest.Op.COMMAND;
        if (single || r.op() == ClientRequest.Op.COMMANDS) {
          int commands = single ? 1 : CommandBatch.decodeCommands(r.payload()).size();
          commandRequestsSent.add(Thread.currentThread().getName() + " sent " + commands);
          if (stallNextCommandRequest.compareAndSet(true, false)) {
            commandRequestStalled.countDown();
            try {
              releaseStalledRequest.await(LONG.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt(); // the client closing
            }
            commandsSwallowed.addAndGet(commands);
            return;
          }
          if (swallowCommands
              || commandRequestsToSwallow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            commandsSwallowed.addAndGet(commands);
            return;
          }
          if (heldBack(() -> network.send(to, message))) {
            return;
          }
        }
      }
      network.send(to, message);
    }

    @Override
    public void close() {
      network.close();
    }
  }

  private static void assertExactlyOnce(List<String> journal, int n, String prefix) {
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < n; i++) {
      expected.add(prefix + i);
    }
    assertEquals(n, journal.size(), "each command once: " + journal);
    assertEquals(expected, new HashSet<>(journal));
  }

  private static void awaitAll(List<CompletableFuture<byte[]>> futures) throws Exception {
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .get(LONG.toSeconds(), TimeUnit.SECONDS);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
