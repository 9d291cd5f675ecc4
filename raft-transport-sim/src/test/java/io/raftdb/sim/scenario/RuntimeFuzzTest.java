package io.raftdb.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.raftdb.NodeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A running three-node group on the simulated network while a {@link HostilePeer} sends
 * well-formed messages in the members' names, interleaved with client commands: no node may stop.
 * Afterwards every node still answers its status and a command still commits on all three.
 *
 * <p>{@code -Dfuzz.runtimeMessages=N} sets how many hostile messages are sent (default
 * {@value #DEFAULT_MESSAGES}).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RuntimeFuzzTest extends RaftScenarioTest {
  private static final int DEFAULT_MESSAGES = 50_000;
  /** A client command between every this many hostile messages. */
  private static final int COMMAND_EVERY = 200;

  @Test
  void threeNodesKeepWorkingWhileAPeerSendsHostileMessages() {
    long messages = Long.getLong("fuzz.runtimeMessages", DEFAULT_MESSAGES);
    RaftCluster c = cluster(3, true);
    c.one(1, 3, true);
    List<io.raftdb.NodeId> members = new ArrayList<>();
    for (int i = 0; i < c.size(); i++) {
      members.add(c.id(i));
    }
    try (HostilePeer peer = new HostilePeer(c.network(), members, seed.value())) {
      c.setTap(peer.tap());
      long command = 2;
      for (long k = 0; k < messages; k++) {
        NodeStatus s = c.status((int) (k % c.size()));
        peer.sendOne(s.term(), s.lastLogIndex());
        if (k % COMMAND_EVERY == 0) {
          for (int i = 0; i < c.size(); i++) {
            c.start(i, command);
          }
          command++;
        }
      }
      c.setTap(null);
      System.out.println("runtime fuzz: " + peer.sent() + " hostile messages sent, "
          + peer.refusedByCodec() + " refused by the codec");
    }
    for (int i = 0; i < c.size(); i++) {
      assertNotNull(c.status(i), "server " + i + " is down");
    }
    // The group may need a new election after the noise; then it must commit on all three.
    c.one(1_000_000, 3, true);
  }
}
