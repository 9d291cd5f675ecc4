package io.raftdb.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for tests that start real listeners, so that runs never collide.
 *
 * <p>Ports come from below the system's ephemeral range: a port the system picked with
 * {@code new ServerSocket(0)} lies inside that range, so a node connecting to a peer that is not
 * listening yet can be given that very port as the local end of its attempt, and the peer's bind
 * then fails ("address already in use"). Each port is handed out once per JVM.
 */
public final class FreePorts {
  private static final int LOWEST = 10_000;
  private static final int ATTEMPTS = 200;
  private static final int COMMON_EPHEMERAL_LOW = 32_768;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /** A loopback port that is free now and outside the ephemeral range. */
  public static int any() {
    int below = ephemeralLow();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < ATTEMPTS; i++) {
      int port = random.nextInt(LOWEST, below);
      if (HANDED_OUT.add(port)) {
        if (bindable(port)) {
          return port;
        }
      }
    }
    throw new IllegalStateException("no free loopback port in " + LOWEST + ".." + below);
  }

  /** {@code 127.0.0.1:} and a free port. */
  public static String loopbackAddress() {
    return "127.0.0.1:" + any();
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException inUse) {
      return false;
    }
  }

  /**
   * The first port of the ephemeral range (Linux), or 32768 where it cannot be read: no common
   * system's default range (Linux 32768–60999, BSD and Windows 49152–65535) starts lower.
   */
  static int ephemeralLow() {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    try {
      // Lines, not Files.readString: /proc files report no size, and a whole-file read of this
      // one returned its first byte only ("3"), which sent every port up to the fallback.
      List<String> lines = Files.readAllLines(range);
      int low = Integer.parseInt(lines.get(0).trim().split("\\s+")[0]);
      if (low > LOWEST + 1_000) {
        return low;
      }
    } catch (IOException | RuntimeException unreadable) {
      // not Linux, or no /proc: the lowest common default
    }
    return COMMON_EPHEMERAL_LOW;
  }
}
