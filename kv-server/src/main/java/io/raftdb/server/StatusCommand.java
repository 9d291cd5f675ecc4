package io.raftdb.server;

import io.raftdb.NodeId;
import io.raftdb.NodeStatus;
import io.raftdb.kv.KvClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;

/**
 * {@code raftdb status}: each member's own report (role, term, the leader it knows, commit and
 * applied index, last log index), then the leader's match index for each follower.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Shows each node's role, term, leader and indexes, and the leader's view of "
        + "its followers.")
final class StatusCommand extends KvCommands.Base {

  @Override
  int run(KvClient kv, PrintWriter out) {
    List<NodeId> members = new ArrayList<>(client.peers.addresses().keySet());
    List<CompletableFuture<NodeStatus>> asked = new ArrayList<>();
    members.forEach(m -> asked.add(kv.raftClient().status(m)));
    out.printf("%-10s %-22s %-10s %6s %-10s %10s %10s %10s%n", "node", "address", "role",
        "term", "leader", "commit", "applied", "last");
    NodeStatus leader = null;
    int unreachable = 0;
    for (int i = 0; i < members.size(); i++) {
      NodeId m = members.get(i);
      String address = client.peers.addresses().get(m);
      try {
        NodeStatus s = asked.get(i).get();
        out.printf("%-10s %-22s %-10s %6d %-10s %10d %10d %10d%n", m.value(), address,
            s.role(), s.term(), s.leader().map(NodeId::value).orElse("-"), s.commitIndex(),
            s.appliedIndex(), s.lastLogIndex());
        if (s.isLeader()) {
          leader = s;
        }
      } catch (ExecutionException e) {
        unreachable++;
        out.printf("%-10s %-22s unreachable (%s)%n", m.value(), address,
            e.getCause().getClass().getSimpleName());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 2;
      }
    }
    if (leader != null) {
      out.println();
      out.println(MembersCommand.describe(leader.membership()));
      out.println("leader " + leader.id().value() + ", last index " + leader.lastLogIndex()
          + "; match index of each follower:");
      for (Map.Entry<NodeId, Long> e : leader.matchIndexes().entrySet()) {
        out.printf("  %-10s %10d%s%n", e.getKey().value(), e.getValue(),
            e.getValue() == leader.lastLogIndex() ? "" : "  (behind by "
                + (leader.lastLogIndex() - e.getValue()) + ")");
      }
    } else {
      out.println();
      out.println("no leader found");
    }
    return unreachable == 0 && leader != null ? 0 : 1;
  }
}
