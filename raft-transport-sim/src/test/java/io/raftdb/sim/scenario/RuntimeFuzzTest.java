package io.raftdb.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeStatus;
import io.raftdb.ReadConsistency;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A running three-node group on the simulated network while a {@link HostilePeer} sends
 * well-formed messages in the members' names, interleaved with client commands: no node may stop.
 * Afterwards every node still runs and answers a query through its event loop and apply thread.
 *
 * <p>Not checked: agreement. A forged AppendEntries in the leader's name, with plausible fields,
 * can make a follower commit entries the leader never committed, in any Raft without
 * authentication; once committed histories differ, no leader can reconcile them. Validation
 * guarantees each node's own invariants (see the protocol fuzz test); only authenticated peers
 * (mutual TLS on the TCP transport) keep forgers out.
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
    c.stopApplyChecks();
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
    // Every node's event loop and apply thread still work: a query passes through both.
    for (int i = 0; i < c.size(); i++) {
      assertTrue(c.status(i).isRunning(), "server " + i + " stopped: " + c.status(i));
      try {
        c.node(i).query(new byte[0], ReadConsistency.STALE).get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("server " + i + " did not answer a query: " + c.status(i), e);
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
