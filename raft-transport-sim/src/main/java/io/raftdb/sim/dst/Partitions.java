package io.raftdb.sim.dst;

import java.util.SplittableRandom;

/**
 * The shapes of network partition the fault schedule applies: a node cut off, a symmetric split
 * into two sides, an asymmetric cut of random one-way links, and a bridge (two sides that cannot
 * talk to each other but both talk to one node in the middle).
 */
final class Partitions {
  private Partitions() {}

  /** Applies a random partition shape to {@code links} (starting from all links up). */
  static String applyRandom(Links links, SplittableRandom random) {
    links.healAll();
    int n = links.size();
    if (n < 2) {
      return "no partition possible with one node";
    }
    switch (random.nextInt(4)) {
      case 0: {
        int lone = random.nextInt(n);
        for (int other = 0; other < n; other++) {
          if (other != lone) {
            links.setBoth(lone, other, false);
          }
        }
        return "isolate n" + (lone + 1);
      }
      case 1: {
        boolean[] side = randomSplit(n, random);
        for (int a = 0; a < n; a++) {
          for (int b = 0; b < n; b++) {
            if (side[a] != side[b]) {
              links.set(a, b, false);
            }
          }
        }
        return "split " + sides(side, -1);
      }
      case 2: {
        StringBuilder cut = new StringBuilder("one-way cuts");
        for (int a = 0; a < n; a++) {
          for (int b = 0; b < n; b++) {
            if (a != b && random.nextInt(3) == 0) {
              links.set(a, b, false);
              cut.append(" n").append(a + 1).append("-/->n").append(b + 1);
            }
          }
        }
        return cut.toString();
      }
      default: {
        if (n < 3) {
          links.set(0, 1, false);
          return "one-way cut n1-/->n2";
        }
        int bridge = random.nextInt(n);
        // Split the others into two non-empty sides; the bridge sits on neither.
        boolean[] others = randomSplit(n - 1, random);
        boolean[] side = new boolean[n];
        for (int i = 0, j = 0; i < n; i++) {
          if (i != bridge) {
            side[i] = others[j++];
          }
        }
        for (int a = 0; a < n; a++) {
          for (int b = 0; b < n; b++) {
            if (a != bridge && b != bridge && side[a] != side[b]) {
              links.set(a, b, false);
            }
          }
        }
        return "bridge n" + (bridge + 1) + " between " + sides(side, bridge);
      }
    }
  }

  /** A random assignment of nodes to two non-empty sides. */
  private static boolean[] randomSplit(int n, SplittableRandom random) {
    boolean[] side = new boolean[n];
    int leftCount = 1 + random.nextInt(n - 1);
    for (int i = 0; i < leftCount; i++) {
      side[i] = true;
    }
    for (int i = n - 1; i > 0; i--) { // Fisher-Yates, so any subset can be the left side
      int j = random.nextInt(i + 1);
      boolean t = side[i];
      side[i] = side[j];
      side[j] = t;
    }
    return side;
  }

  private static String sides(boolean[] side, int leaveOut) {
    StringBuilder left = new StringBuilder("{");
    StringBuilder right = new StringBuilder("{");
    for (int i = 0; i < side.length; i++) {
      if (i == leaveOut) {
        continue;
      }
      StringBuilder s = side[i] ? left : right;
      s.append(s.length() == 1 ? "" : ",").append('n').append(i + 1);
    }
    return left.append("} | ").append(right).append('}').toString();
  }
}
