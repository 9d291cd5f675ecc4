package io.raftdb.sim.network;

import static io.raftdb.sim.network.Messages.A;
import static io.raftdb.sim.network.Messages.B;
import static io.raftdb.sim.network.Messages.C;
import static io.raftdb.sim.network.Messages.reply;
import static io.raftdb.sim.network.Messages.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.sim.SimNetwork;
import io.raftdb.sim.SimTransport;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** labrpc's Counts and Bytes tests, and what each counter includes (mit-6824-tests.md §1.6). */
@Timeout(60)
class SimNetworkCountersTest {

  /** labrpc's Bytes test sends arguments of about this size. */
  private static final int PAYLOAD_BYTES = 284;
  /** Generous room for the message's own fields and framing, far below a verbose encoding. */
  private static final int MAX_OVERHEAD_BYTES = 128;
  private static final int CALLS = 17;

  private final SimNetwork network = new SimNetwork(3);
  private SimTransport a;
  private SimTransport b;

  @BeforeEach
  void startTwoNodes() {
    a = network.transport(A);
    b = network.transport(B);
    a.start(new Inbox());
    b.start(new Inbox());
  }

  @AfterEach
  void closeNetwork() {
    network.close();
  }

  @Test
  void seventeenRequestsGiveAPerNodeCountOfSeventeen() {
    for (int i = 0; i < CALLS; i++) {
      a.send(B, request(A, i));
    }

    assertEquals(CALLS, network.rpcCount(B));
    assertEquals(0, network.rpcCount(A));
    assertEquals(CALLS, network.rpcTotal());
    assertEquals(CALLS, network.messageTotal());
  }

  @Test
  void repliesAreMessagesButNotRpcs() {
    for (int i = 0; i < 5; i++) {
      a.send(B, request(A, i));
      b.send(A, reply(B, i));
    }

    assertEquals(5, network.rpcTotal());
    assertEquals(10, network.messageTotal());
    assertEquals(5, network.rpcCount(B));
    assertEquals(0, network.rpcCount(A), "replies handed to A are not RPCs");
  }

  @Test
  void undeliveredRequestsCountInTheTotalButNotForTheDestination() {
    network.disconnect(B);
    a.send(B, request(A, 1));
    a.send(C, request(A, 2));

    assertEquals(2, network.rpcTotal());
    assertEquals(0, network.rpcCount(B));
    assertEquals(0, network.rpcCount(C));
  }

  @Test
  void requestBytesAreCountedWhenSentEvenIfNotDelivered() {
    byte[] payload = new byte[PAYLOAD_BYTES];
    Arrays.fill(payload, (byte) 'x');
    network.disconnect(B);

    for (int i = 0; i < CALLS; i++) {
      a.send(B, request(A, i, payload));
    }

    long bytes = network.bytesTotal();
    assertTrue(bytes >= (long) CALLS * PAYLOAD_BYTES, "bytes " + bytes);
    assertTrue(bytes <= (long) CALLS * (PAYLOAD_BYTES + MAX_OVERHEAD_BYTES), "bytes " + bytes);
    assertEquals(0, network.rpcCount(B));
  }

  @Test
  void replyBytesAreCountedOnlyWhenDelivered() {
    network.disconnect(A);
    for (int i = 0; i < CALLS; i++) {
      b.send(A, reply(B, i));
    }
    assertEquals(0, network.bytesTotal(), "replies that were not delivered add no bytes");

    network.connect(A);
    for (int i = 0; i < CALLS; i++) {
      b.send(A, reply(B, i));
    }
    long bytes = network.bytesTotal();
    assertTrue(bytes >= CALLS, "every delivered reply adds its size: " + bytes);
    assertTrue(bytes <= (long) CALLS * MAX_OVERHEAD_BYTES, "bytes " + bytes);
  }
}
