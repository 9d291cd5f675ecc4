package io.raftdb.sim.dst;

import java.util.Arrays;

/**
 * Which node can currently send to which: one directed link per ordered pair, so that
 * asymmetric partitions (A hears B, B does not hear A) can be expressed.
 */
final class Links {
  private final boolean[][] up;

  /** {@code nodes} fully connected nodes. */
  Links(int nodes) {
    up = new boolean[nodes][nodes];
    healAll();
  }

  int size() {
    return up.length;
  }

  /** Whether a message from node index {@code from} reaches node index {@code to}. */
  boolean canSend(int from, int to) {
    return up[from][to];
  }

  /** Sets one directed link. */
  void set(int from, int to, boolean connected) {
    up[from][to] = connected;
  }

  /** Sets both directions between two nodes. */
  void setBoth(int a, int b, boolean connected) {
    up[a][b] = connected;
    up[b][a] = connected;
  }

  /** Connects everybody with everybody. */
  void healAll() {
    for (boolean[] row : up) {
      Arrays.fill(row, true);
    }
  }

  /** Whether every link is up. */
  boolean allUp() {
    for (boolean[] row : up) {
      for (boolean b : row) {
        if (!b) {
          return false;
        }
      }
    }
    return true;
  }

  /** The matrix as rows of 1 and 0 (row = sender), for the trace. */
  String describe() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < up.length; i++) {
      sb.append(i == 0 ? "" : " ");
      for (boolean b : up[i]) {
        sb.append(b ? '1' : '0');
      }
    }
    return sb.toString();
  }
}
