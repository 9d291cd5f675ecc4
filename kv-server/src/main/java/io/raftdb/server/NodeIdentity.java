package io.raftdb.server;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What a data directory belongs to: the node id and the peer list it was first started with,
 * kept in {@value #FILE}. A server refuses a directory of another node, or a peer list that
 * disagrees, instead of silently joining the wrong group with another node's log.
 */
final class NodeIdentity {
  static final String FILE = "raftdb-node.properties";

  private NodeIdentity() {}

  /**
   * Records {@code id} and {@code peers} in a new directory, or checks them against an old one.
   *
   * @throws IllegalStateException naming the mismatch
   */
  static void claim(Path dataDir, String id, PeerList peers) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE);
    if (Files.exists(file)) {
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(file)) {
        p.load(in);
      }
      if (!id.equals(p.getProperty("id"))) {
        throw new IllegalStateException("data directory " + dataDir + " belongs to node "
            + p.getProperty("id") + ", not " + id);
      }
      if (!peers.toString().equals(p.getProperty("peers"))) {
        throw new IllegalStateException("peers " + peers + " disagree with those recorded in "
            + file + ": " + p.getProperty("peers"));
      }
      return;
    }
    Properties p = new Properties();
    p.setProperty("id", id);
    p.setProperty("peers", peers.toString());
    Path tmp = dataDir.resolve(FILE + ".tmp");
    try (Writer out = Files.newBufferedWriter(tmp)) {
      p.store(out, "RaftDB node identity: do not edit");
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
