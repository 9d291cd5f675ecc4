package io.raftdb.sim.dst;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Puts a {@link FaultPlan} into action during the fault phase: skews the nodes' clocks, crashes
 * nodes at random moments and restarts them after a random downtime, and cuts the network into
 * random shapes for random spans. {@link #heal()} ends all of it at once.
 */
final class FaultSchedule {
  private final EventQueue events;
  private final SplittableRandom random;
  private final List<SimNode> nodes;
  private final Links links;
  private final FaultPlan plan;
  private boolean active;
  private long crashes;
  private long partitions;

  FaultSchedule(EventQueue events, SplittableRandom random, List<SimNode> nodes, Links links,
      FaultPlan plan) {
    this.events = events;
    this.random = random;
    this.nodes = nodes;
    this.links = links;
    this.plan = plan;
  }

  /** Starts the fault phase. */
  void start() {
    active = true;
    for (SimNode n : nodes) {
      n.clockRate(1 + plan.maxSkew() * (2 * random.nextDouble() - 1));
    }
    if (plan.meanCrashInterval() > 0) {
      events.after(RandomTimes.exponential(random, plan.meanCrashInterval()), "fault crash",
          this::crashSomeNode);
    }
    if (plan.meanPartitionInterval() > 0) {
      events.after(RandomTimes.exponential(random, plan.meanPartitionInterval()),
          "fault partition", this::partition);
    }
  }

  /** Ends the fault phase: every link up, every clock true, every node running. */
  void heal() {
    active = false;
    links.healAll();
    for (SimNode n : nodes) {
      n.clockRate(1.0);
      if (!n.isUp()) {
        n.start();
      }
    }
  }

  /** A node crashed by itself (inside its persistence): restart it after a downtime. */
  void crashedItself(SimNode n) {
    crashes++;
    restartLater(n);
  }

  private void restartLater(SimNode n) {
    long downtime = 1_000 + random.nextLong(Math.max(1, plan.maxDowntime()));
    events.after(downtime, "restart " + n.name(), () -> {
      if (n.isUp()) {
        return "already up";
      }
      n.start();
      return "";
    });
  }

  private String crashSomeNode() {
    if (!active) {
      return "fault phase over";
    }
    events.after(RandomTimes.exponential(random, plan.meanCrashInterval()), "fault crash",
        this::crashSomeNode);
    SimNode victim = nodes.get(random.nextInt(nodes.size()));
    if (!victim.isUp()) {
      return victim.name() + " is already down";
    }
    victim.crash();
    crashes++;
    restartLater(victim);
    return victim.name() + " crashed";
  }

  private String partition() {
    if (!active) {
      return "fault phase over";
    }
    events.after(RandomTimes.exponential(random, plan.meanPartitionInterval()),
        "fault partition", this::partition);
    String shape = Partitions.applyRandom(links, random);
    partitions++;
    long duration = 1_000 + random.nextLong(Math.max(1, plan.maxPartition()));
    long number = partitions;
    events.after(duration, "heal partition " + number, () -> {
      if (partitions != number) {
        return "superseded by a later partition";
      }
      links.healAll();
      return "";
    });
    return shape;
  }


  /** Whether the fault phase is on. */
  boolean active() {
    return active;
  }

  long crashes() {
    return crashes;
  }

  long partitions() {
    return partitions;
  }
}
