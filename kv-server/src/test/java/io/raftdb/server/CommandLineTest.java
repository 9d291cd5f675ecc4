package io.raftdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code raftdb} commands against three server processes, through their client ports: what
 * they print, their exit status, and the one-line refusals of bad input.
 */
@Timeout(300)
class CommandLineTest {
  @TempDir
  static Path dir;
  private static ServerProcesses servers;

  @BeforeAll
  static void startServers() throws Exception {
    servers = new ServerProcesses(dir, 3);
    servers.startAll();
  }

  @AfterAll
  static void stopServers() throws Exception {
    servers.close();
  }

  private record Run(int status, String out, String err) {}

  private static Run raftdb(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--peers=" + servers.clientPorts; // the client-only ports
    all[args.length + 1] = "--timeout=60";
    int status = RaftDbCli.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void putGetAppendScanDeleteAndStatus() {
    assertEquals(new Run(0, "OK\n", ""), raftdb("put", "greeting", "hello"));
    assertEquals(new Run(0, "hello\n", ""), raftdb("get", "greeting"));
    assertEquals(new Run(0, "11\n", ""), raftdb("append", "greeting", " world"));
    raftdb("put", "other", "x");
    assertEquals(new Run(0, "greeting\thello world\nother\tx\n", ""), raftdb("scan"));
    assertEquals(new Run(0, "greeting\thello world\n... more from other\n", ""),
        raftdb("scan", "--limit", "1"));
    assertEquals(new Run(0, "deleted\n", ""), raftdb("delete", "greeting"));
    assertEquals(new Run(1, "(nil)\n", ""), raftdb("get", "greeting"));

    Run status = raftdb("status");
    assertEquals(0, status.status(), status.out() + status.err());
    assertEquals(1, status.out().lines().filter(l -> l.contains(" LEADER ")).count(),
        status.out());
    assertEquals(2, status.out().lines().filter(l -> l.contains(" FOLLOWER ")).count(),
        status.out());
    assertTrue(status.out().contains("match index of each follower"), status.out());
  }

  @Test
  void badInputIsRefusedInOneLine() throws Exception {
    Run scan = raftdb("scan", "--limit", "0");
    assertEquals(2, scan.status());
    assertEquals("raftdb scan: --limit must be at least 1\n", scan.err());

    StringWriter err = new StringWriter();
    Path data = dir.resolve("n1");
    int status = RaftDbCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
        "server", "--id", "n2", "--peers", servers.peers.toString(), "--data", data.toString());
    assertEquals(2, status);
    assertEquals("raftdb server: data directory " + data + " belongs to node n1, not n2\n",
        err.toString());
    assertTrue(Files.exists(data.resolve(NodeIdentity.FILE)));

    err = new StringWriter();
    status = RaftDbCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
        "get");
    assertEquals(2, status);
    assertTrue(err.toString().startsWith("Missing required parameter: 'KEY'"), err.toString());
  }
}
