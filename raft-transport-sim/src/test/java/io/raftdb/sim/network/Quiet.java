package io.raftdb.sim.network;

import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.sim.SimNetwork;
import java.time.Duration;

/** Waiting helpers: bounded, generous, and never a measure of speed. */
final class Quiet {

  /** Longer than any delay the network draws (at most 26 + 2199 ms) by a wide margin. */
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  private Quiet() {}

  /** Waits until the network holds no message back, so every message is delivered or dropped. */
  static void await(SimNetwork network) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (network.inFlight() > 0) {
      if (System.nanoTime() > deadline) {
        fail(network + " still has " + network.inFlight() + " messages in flight");
      }
      pause();
    }
  }

  static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
