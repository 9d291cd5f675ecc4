package io.raftdb.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.message.ClientRequest;
import io.raftdb.message.MessageCodec;
import io.raftdb.message.RequestVote;
import io.raftdb.testkit.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * While a client writes, every node's member and client port takes a stream of hostile
 * connections: random
 * bytes, valid frames truncated or with a bit flipped, lengths far past the limit or negative.
 * Each such connection is closed alone; the nodes keep serving and lose nothing.
 */
@Timeout(300)
class TcpFuzzTest extends TcpGroupFixture {
  private static final int ATTACKS_PER_NODE = 300;
  private static final int COMMANDS = 300;

  @Test
  void garbageOnEveryPortLeavesTheGroupServingAndLosesNothing() throws Exception {
    startGroup();
    Random random = new Random(7);
    List<byte[]> valid = List.of(
        MessageCodec.encode(new RequestVote(0, NodeId.of("n1"), 1, 0, 0, true, false)),
        MessageCodec.encode(new ClientRequest(0, NodeId.of("client-x"), 1,
            ClientRequest.Op.QUERY, 0, 0, 0, ReadConsistency.LINEARIZABLE, new byte[16])));
    CompletableFuture<Void> fuzz = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < ATTACKS_PER_NODE; i++) {
        List<String> ports = new ArrayList<>(addresses.values());
        ports.addAll(clientAddresses.values());
        for (String address : ports) {
          attack(address, attackBytes(random, valid.get(random.nextInt(valid.size()))));
        }
      }
    });
    List<CompletableFuture<byte[]>> writes = new ArrayList<>();
    for (int i = 1; i <= COMMANDS; i++) {
      writes.add(client.submit(number(1)));
      if (i % 16 == 0) {
        writes.get(i - 1).get(WAIT_SECONDS, TimeUnit.SECONDS);
      }
    }
    for (CompletableFuture<byte[]> w : writes) {
      w.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    fuzz.get(WAIT_SECONDS * 3, TimeUnit.SECONDS);
    assertEquals(COMMANDS, number(client.query(new byte[0]).get(WAIT_SECONDS, TimeUnit.SECONDS)));
    for (RaftNode n : nodes) {
      assertTrue(n.status().isRunning(), n.id() + " stopped: " + n.status().stopCause());
      Sum machine = machines.get(ids.indexOf(n.id()));
      Await.until(n.id() + " applies every write", WAIT, () -> machine.total == COMMANDS);
    }
  }

  private static byte[] attackBytes(Random random, byte[] frame) {
    switch (random.nextInt(5)) {
      case 0: {
        byte[] noise = new byte[1 + random.nextInt(2048)];
        random.nextBytes(noise);
        return noise;
      }
      case 1:
        return java.util.Arrays.copyOf(frame, random.nextInt(frame.length));
      case 2: {
        byte[] flipped = frame.clone();
        flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
        return flipped;
      }
      case 3:
        return new byte[] {frame[0], frame[1], 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
      default:
        return new byte[] {frame[0], frame[1], (byte) 0xff, 0, 0, 1};
    }
  }

  private static void attack(String address, byte[] bytes) {
    String[] hostPort = address.split(":");
    try (Socket s = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
      OutputStream out = s.getOutputStream();
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      // the node hung up on us first: what it should do
    }
  }
}
