package io.raftdb.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A port inside the ephemeral range can be taken by any outgoing connection while its listener
 * is down; a client reconnecting to it can even connect to itself and read its own request back
 * as the reply (seen as a PING answered with an array). So no port may come from that range.
 */
class FreePortsTest {
  private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  @Test
  void readsTheSystemsEphemeralRange() throws IOException {
    assumeTrue(Files.isReadable(RANGE), "no /proc: not Linux");
    try (BufferedReader in = Files.newBufferedReader(RANGE)) {
      int low = Integer.parseInt(in.readLine().trim().split("\\s+")[0]);
      assertEquals(low, FreePorts.ephemeralLow());
    }
  }

  @Test
  void portsComeFromBelowTheEphemeralRangeAndOnce() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      int port = FreePorts.any();
      assertTrue(port < FreePorts.ephemeralLow() && port < 32_768, "port " + port);
      assertTrue(seen.add(port), "port " + port + " handed out twice");
    }
  }
}
