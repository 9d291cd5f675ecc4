package io.raftdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.testkit.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code raftdb cluster} in a process of its own: it starts three nodes, reports the leader, the
 * command line works against it, and SIGTERM (as Ctrl-C) stops it and every node it started.
 */
@Timeout(300)
class ClusterCommandTest {
  @TempDir
  Path dir;

  /** Member ports whose client ports (100 above) are free too. */
  private static PeerList freePeers() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 3; ) {
      int port = FreePorts.any();
      if (port + PeerList.CLIENT_PORT_OFFSET > 65535) {
        continue;
      }
      try (ServerSocket clientPort = new ServerSocket(port + PeerList.CLIENT_PORT_OFFSET)) {
        sb.append(i == 1 ? "" : ",").append("n").append(i).append("=127.0.0.1:").append(port);
        i++;
      } catch (IOException taken) {
        // try another
      }
    }
    return PeerList.parse(sb.toString());
  }

  @Test
  void startsThreeNodesThatServeAndStopsThemAll() throws Exception {
    PeerList peers = freePeers();
    Path clusterDir = dir.resolve("cluster");
    Process cluster = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), RaftDbCli.class.getName(), "cluster",
        "--dir", clusterDir.toString(), "--peers", peers.toString())
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(cluster.getInputStream(),
          StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>();
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
        if (line.startsWith("Cluster running")) {
          break;
        }
      }
      assertTrue(lines.stream().anyMatch(l -> l.matches("Leader n[123] elected in term \\d+\\.")),
          String.join("\n", lines));
      List<ProcessHandle> nodes = cluster.children().toList();
      assertEquals(3, nodes.size());

      StringWriter result = new StringWriter();
      String clients = "--peers=" + peers.clientPorts();
      assertEquals(0, RaftDbCli.run(new PrintWriter(result, true), new PrintWriter(result, true),
          "put", "k", "v", clients));
      assertEquals(0, RaftDbCli.run(new PrintWriter(result, true), new PrintWriter(result, true),
          "get", "k", clients));
      assertEquals("OK\nv\n", result.toString());

      cluster.destroy(); // SIGTERM, as Ctrl-C
      assertTrue(cluster.waitFor(60, TimeUnit.SECONDS), "the cluster command ends");
      for (ProcessHandle node : nodes) {
        node.onExit().get(60, TimeUnit.SECONDS);
      }
    } finally {
      cluster.descendants().forEach(ProcessHandle::destroyForcibly);
      cluster.destroyForcibly();
    }
  }
}
