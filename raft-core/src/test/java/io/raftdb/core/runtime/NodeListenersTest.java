package io.raftdb.core.runtime;

import static io.raftdb.core.runtime.Futures.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.NodeListener;
import io.raftdb.RaftNode;
import io.raftdb.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Listeners hear every change of leader, role and term, in order, and the stop last. */
@Timeout(120)
class NodeListenersTest {

  @Test
  void everyNodesListenersSeeEveryLeaderChangeInOrder() {
    Map<NodeId, List<String>> events = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(4); // a shared pool: order still holds
    try (LoopbackCluster c = LoopbackCluster.build(3, LoopbackCluster.FAST, log -> log)) {
      for (NodeId id : c.ids) {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        events.put(id, seen);
        c.node(id).addListener(recorder(seen), pool);
      }
      c.nodes.values().forEach(RaftNode::start);

      List<NodeId> leaders = new ArrayList<>();
      RaftNode leader = c.awaitLeader();
      leaders.add(leader.id());
      for (int i = 0; i < 2; i++) {
        RaftNode target = c.others(leader).get(0);
        valueOf(leader.transferLeadership(target.id()));
        leader = c.awaitLeader();
        assertEquals(target.id(), leader.id());
        leaders.add(leader.id());
      }
      // Each node hears each of these leaders, in this order (a leader of a moment that the
      // test did not catch, on a loaded machine, may come in between).
      List<String> expected = leaders.stream().map(id -> "leader " + id).toList();
      for (NodeId id : c.ids) {
        List<String> seen = events.get(id);
        LoopbackCluster.await(() -> inOrder(expected, leadersIn(seen)),
            id + " to hear " + expected + " in order (heard " + seen + ")");
        assertTrue(!leaders.contains(id) || seen.contains("role " + Role.LEADER), id + ": " + seen);
      }
    } finally {
      pool.shutdown();
    }
    for (List<String> seen : events.values()) {
      LoopbackCluster.await(() -> !seen.isEmpty() && seen.get(seen.size() - 1).equals("stopped"),
          "the stop to be the last event");
    }
  }

  /** Whether {@code expected} is a subsequence of {@code seen}, ending at its end. */
  private static boolean inOrder(List<String> expected, List<String> seen) {
    int i = 0;
    for (String e : seen) {
      if (i < expected.size() && e.equals(expected.get(i))) {
        i++;
      }
    }
    return i == expected.size() && seen.get(seen.size() - 1).equals(expected.get(i - 1));
  }

  private static List<String> leadersIn(List<String> seen) {
    synchronized (seen) {
      List<String> out = new ArrayList<>();
      for (String e : seen) {
        if (e.startsWith("leader ") && (out.isEmpty() || !out.get(out.size() - 1).equals(e))) {
          out.add(e);
        }
      }
      return out;
    }
  }

  private static NodeListener recorder(List<String> seen) {
    return new NodeListener() {
      @Override
      public void roleChanged(Role role, long term) {
        seen.add("role " + role);
      }

      @Override
      public void leaderChanged(Optional<NodeId> leader, long term) {
        leader.ifPresent(id -> seen.add("leader " + id));
      }

      @Override
      public void stopped(Optional<Throwable> cause) {
        seen.add("stopped");
      }
    };
  }
}
