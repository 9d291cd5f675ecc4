package io.raftdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code raftdb members} against real server processes: a three-node cluster grows to five with
 * {@code server --join} and {@code members add}, shrinks back to three by removing two founders
 * (which are then killed), hands leadership over, and keeps every acknowledged write.
 */
@Timeout(600)
class MembersCommandTest {
  @TempDir
  Path dir;

  private record Result(int status, String out) {}

  private static Result cli(String... args) {
    StringWriter out = new StringWriter();
    int status = RaftDbCli.run(new PrintWriter(out, true), new PrintWriter(out, true), args);
    return new Result(status, out.toString());
  }

  private static Result ok(String... args) {
    Result r = cli(args);
    assertEquals(0, r.status(), String.join(" ", args) + " said: " + r.out());
    return r;
  }

  @Test
  void aClusterGrowsToFiveAndShrinksToThreeKeepingItsData() throws Exception {
    try (ServerProcesses servers = new ServerProcesses(dir, 5)) {
      List<String> founders = List.of("n1", "n2", "n3");
      PeerList founding = servers.subset(servers.peers, founders);
      for (String id : founders) {
        servers.start(id, founding, false);
      }
      String clients = servers.subset(servers.clientPorts, founders).toString();
      ok("put", "--peers", clients, "--timeout", "60", "k", "before");

      List<String> members = new ArrayList<>(founders);
      for (String joiner : List.of("n4", "n5")) {
        members.add(joiner);
        servers.start(joiner, servers.subset(servers.peers, members), true);
        String address = servers.peers.addresses().get(NodeId.of(joiner));
        Result added = ok("members", "add", joiner + "=" + address, "--peers", clients,
            "--timeout", "120");
        assertTrue(added.out().contains("voters: " + String.join(",", members)), added.out());
      }
      ok("put", "--peers", clients, "--timeout", "60", "k", "grown");

      String n4 = "n4=" + servers.peers.addresses().get(NodeId.of("n4"));
      Result again = ok("members", "add", n4, "--peers", clients, "--timeout", "30");
      assertTrue(again.out().contains("voters: n1,n2,n3,n4,n5"), "done already: " + again.out());
      Result refused = cli("members", "add", n4, "--learner", "--peers", clients,
          "--timeout", "30");
      assertEquals(2, refused.status(), refused.out());
      assertTrue(refused.out().contains("already a member"), refused.out());

      // Clients reach only the nodes they are given: from now on, every member's client port
      // (the leader may be a new member once the old one is removed).
      String allClients = servers.subset(servers.clientPorts, members).toString();
      for (String leaving : List.of("n1", "n2")) {
        ok("members", "remove", leaving, "--peers", allClients, "--timeout", "60");
      }
      servers.kill("n1");
      servers.kill("n2");
      List<String> remaining = List.of("n3", "n4", "n5");
      String remainingClients = servers.subset(servers.clientPorts, remaining).toString();
      Result value = ok("get", "--peers", remainingClients, "--timeout", "60", "k");
      assertTrue(value.out().contains("grown"), value.out());

      Result status = ok("status", "--peers", remainingClients);
      assertTrue(status.out().contains("voters: n3,n4,n5; learners: none"), status.out());
      ok("members", "transfer", "n4", "--peers", remainingClients, "--timeout", "60");
      Result after = ok("status", "--peers", remainingClients);
      assertTrue(after.out().contains("leader n4"), after.out());
      ok("put", "--peers", remainingClients, "--timeout", "60", "k", "after");
    }
  }
}
