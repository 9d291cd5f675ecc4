package io.raftdb.sim.network;

import static io.raftdb.sim.network.Messages.A;
import static io.raftdb.sim.network.Messages.B;
import static io.raftdb.sim.network.Messages.reply;
import static io.raftdb.sim.network.Messages.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.message.RaftMessage;
import io.raftdb.sim.SimNetwork;
import io.raftdb.sim.SimTransport;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * labrpc's Unreliable test, long reordering, and reproducibility of fault decisions from the
 * seed (mit-6824-tests.md §1.2-1.3).
 */
@Timeout(120)
class SimNetworkFaultsTest {

  private static final int MESSAGES = 300;

  @Test
  void anUnreliableNetworkDeliversSomeButNotAllRequests() {
    try (SimNetwork network = new SimNetwork(5)) {
      network.setReliable(false);
      Set<Long> delivered = sendAndCollect(network, MESSAGES, i -> request(A, i));

      assertTrue(delivered.size() > 0, "none of " + MESSAGES + " requests was delivered");
      assertTrue(delivered.size() < MESSAGES, "all " + MESSAGES + " requests were delivered");
      assertEquals(delivered.size(), network.rpcCount(B));
      assertEquals(MESSAGES, network.rpcTotal());
    }
  }

  @Test
  void anUnreliableNetworkDeliversSomeButNotAllReplies() {
    try (SimNetwork network = new SimNetwork(6)) {
      network.setReliable(false);
      Set<Long> delivered = sendAndCollect(network, MESSAGES, i -> reply(A, i));

      assertTrue(delivered.size() > 0, "none of " + MESSAGES + " replies was delivered");
      assertTrue(delivered.size() < MESSAGES, "all " + MESSAGES + " replies were delivered");
    }
  }

  /** labrpc runs each call on its own goroutine: calls sent back to back may overtake each other. */
  @Test
  void callReorderingDeliversEveryMessageButNotAlwaysInOrder() {
    try (SimNetwork network = new SimNetwork(9)) {
      network.setCallReordering(true);
      SimTransport a = network.transport(A);
      SimTransport b = network.transport(B);
      Inbox inbox = new Inbox();
      a.start(new Inbox());
      b.start(inbox);
      for (int i = 0; i < MESSAGES; i++) {
        a.send(B, request(A, i));
      }
      inbox.awaitAtLeast(MESSAGES);
      Quiet.await(network);
      assertEquals(MESSAGES, inbox.size());
      long previous = -1;
      boolean overtaken = false;
      for (RaftMessage m : inbox.messages()) {
        overtaken |= Messages.tag(m) < previous;
        previous = Messages.tag(m);
      }
      assertTrue(overtaken, "no message of " + MESSAGES + " arrived out of order");
    }
  }

  @Test
  void theSameSeedDropsTheSameMessages() {
    Set<Long> first = dropPattern(77);
    Set<Long> second = dropPattern(77);
    Set<Long> otherSeed = dropPattern(78);

    assertEquals(first, second);
    assertNotEquals(first, otherSeed, "a different seed should drop different messages");
  }

  @Test
  void longReorderingHoldsBackSomeRepliesButNoRequests() {
    try (SimNetwork network = new SimNetwork(8)) {
      network.setLongReordering(true);
      SimTransport a = network.transport(A);
      SimTransport b = network.transport(B);
      Thread sender = Thread.currentThread();
      ConcurrentHashMap<Long, Long> sentAt = new ConcurrentHashMap<>();
      ConcurrentHashMap<Long, Long> heldBackNanos = new ConcurrentHashMap<>();
      ConcurrentHashMap<Long, Boolean> deliveredAtOnce = new ConcurrentHashMap<>();
      a.start(m -> {
        long tag = Messages.tag(m);
        if (Thread.currentThread() == sender) {
          deliveredAtOnce.put(tag, true);
        } else {
          heldBackNanos.put(tag, System.nanoTime() - sentAt.get(tag));
        }
      });
      Inbox requestsAtB = new Inbox();
      b.start(requestsAtB);
      int replies = 30;

      for (long i = 0; i < replies; i++) {
        a.send(B, request(A, i));
        sentAt.put(i, System.nanoTime());
        b.send(A, reply(B, i));
      }
      assertEquals(replies, requestsAtB.size(), "requests are never held back");
      Quiet.await(network);

      assertEquals(replies, deliveredAtOnce.size() + heldBackNanos.size(),
          "a reliable network loses no reply");
      assertTrue(deliveredAtOnce.size() > 0, "about a third of the replies are not held back");
      assertTrue(heldBackNanos.size() > 0, "about two thirds of the replies are held back");
      long minimum = Duration.ofMillis(200).toNanos();
      heldBackNanos.forEach((tag, nanos) -> assertTrue(nanos >= minimum,
          "reply " + tag + " was held back only " + nanos + " ns"));
    }
  }

  @Test
  void longDelaysIsRecordedButDeliversAsBefore() {
    try (SimNetwork network = new SimNetwork(9)) {
      network.setLongDelays(true);
      assertTrue(network.isLongDelays());
      Set<Long> delivered = sendAndCollect(network, 10, i -> request(A, i));
      assertEquals(10, delivered.size());
      assertFalse(network.isLongReordering());
      assertTrue(network.isReliable());
    }
  }

  /** Which of 300 requests an unreliable network with this seed delivers, sent from one thread. */
  private static Set<Long> dropPattern(long seed) {
    try (SimNetwork network = new SimNetwork(seed)) {
      network.setReliable(false);
      return sendAndCollect(network, MESSAGES, i -> request(A, i));
    }
  }

  /** Sends {@code count} tagged messages from A to B, waits until none is in flight. */
  private static Set<Long> sendAndCollect(SimNetwork network, int count,
      LongFunction<RaftMessage> message) {
    SimTransport a = network.transport(A);
    SimTransport b = network.transport(B);
    Inbox inboxB = new Inbox();
    a.start(new Inbox());
    b.start(inboxB);
    for (long i = 0; i < count; i++) {
      a.send(B, message.apply(i));
    }
    Quiet.await(network);
    Set<Long> tags = new TreeSet<>();
    inboxB.messages().forEach(m -> tags.add(Messages.tag(m)));
    return tags;
  }
}
