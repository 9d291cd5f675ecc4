package io.raftdb.sim.dst;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Puts a {@link FaultPlan} into action during the fault phase: skews the nodes' clocks, crashes
 * nodes at random moments and restarts them after a random downtime (some within an election
 * timeout), stalls nodes' loops, and cuts the network into random shapes for random spans.
 * {@link #heal()} ends all of it at once.
 */
final class FaultSchedule {
  /** How long a stalled leader may stay cut off after it resumes. */
  static final long STALL_CUT_AFTER = 300_000;

  private final EventQueue events;
  private final SplittableRandom random;
  /** For stalls and quick restarts (see {@link FaultPlan#laterFaultsRandom}). */
  private final SplittableRandom later;
  private final List<SimNode> nodes;
  private final Links links;
  private final FaultPlan plan;
  private boolean active;
  private long crashes;
  private long partitions;
  private long stalls;

  FaultSchedule(EventQueue events, SplittableRandom random, SplittableRandom later,
      List<SimNode> nodes, Links links, FaultPlan plan) {
    this.events = events;
    this.random = random;
    this.later = later;
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
    if (plan.meanLinkCutInterval() > 0) {
      events.after(RandomTimes.exponential(later, plan.meanLinkCutInterval()), "fault link cut",
          this::cutLeaderLink);
    }
    if (plan.meanStallInterval() > 0) {
      events.after(RandomTimes.exponential(later, plan.meanStallInterval()), "fault stall",
          this::stallSomeNode);
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
      } else {
        n.resumeFromStall();
      }
    }
  }

  /** A node crashed by itself (inside its persistence): restart it after a downtime. */
  void crashedItself(SimNode n) {
    crashes++;
    restartLater(n);
  }

  /** A node crashed right after acknowledging its leader: it comes back quickly. */
  void crashedAfterAck(SimNode n) {
    crashes++;
    restartAfter(n, quickDowntime(), "quick restart ");
  }

  private void restartLater(SimNode n) {
    long downtime = 1_000 + random.nextLong(Math.max(1, plan.maxDowntime()));
    if (plan.quickRestartRate() > 0 && later.nextDouble() < plan.quickRestartRate()) {
      restartAfter(n, quickDowntime(), "quick restart ");
    } else {
      restartAfter(n, downtime, "restart ");
    }
  }

  /**
   * A downtime shorter than an election timeout: a follower that acknowledged the leader just
   * before it went down must still honour that leader's lease when it is back.
   */
  private long quickDowntime() {
    return 1_000 + later.nextLong(FaultPlan.QUICK_RESTART);
  }

  private void restartAfter(SimNode n, long downtime, String label) {
    events.after(downtime, label + n.name(), () -> {
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
    healLater(1_000 + random.nextLong(Math.max(1, plan.maxPartition())));
    return shape;
  }

  /** Heals the partition just made after {@code duration}, unless a later one replaced it. */
  private void healLater(long duration) {
    long number = partitions;
    events.after(duration, "heal partition " + number, () -> {
      if (partitions != number) {
        return "superseded by a later partition";
      }
      links.healAll();
      return "";
    });
  }


  /**
   * Stalls one node's loop for a random span. Half the stalls go to a node that believes it
   * leads (if one does), and half of those also cut it off from the others until a little after
   * it resumes (its peers' connections timed out during the pause): a paused leader that nobody
   * tells of its successor is where a lease timed by ticks goes wrong.
   */
  private String stallSomeNode() {
    if (!active) {
      return "fault phase over";
    }
    events.after(RandomTimes.exponential(later, plan.meanStallInterval()), "fault stall",
        this::stallSomeNode);
    List<SimNode> leaders = nodes.stream().filter(n -> n.isUp() && n.isLeader()).toList();
    boolean atLeader = !leaders.isEmpty() && later.nextBoolean();
    SimNode victim = atLeader ? leaders.get(later.nextInt(leaders.size()))
        : nodes.get(later.nextInt(nodes.size()));
    long span = 1_000 + later.nextLong(plan.maxStall());
    String note = victim.stall(span);
    stalls++;
    if (atLeader && later.nextBoolean()) {
      long cut = span + later.nextLong(STALL_CUT_AFTER);
      isolate(victim);
      note += ", cut off for " + TraceFormat.time(cut);
      healLater(cut);
    }
    return note;
  }

  /**
   * Cuts the link between a node that believes it leads (any node if none does) and one other
   * node, both ways: that node no longer hears the leader but still hears everyone else, and
   * everyone else still hears the leader.
   */
  private String cutLeaderLink() {
    if (!active) {
      return "fault phase over";
    }
    events.after(RandomTimes.exponential(later, plan.meanLinkCutInterval()), "fault link cut",
        this::cutLeaderLink);
    if (nodes.size() < 3) {
      return "too few nodes";
    }
    List<SimNode> leaders = nodes.stream().filter(n -> n.isUp() && n.isLeader()).toList();
    SimNode a = leaders.isEmpty() ? nodes.get(later.nextInt(nodes.size()))
        : leaders.get(later.nextInt(leaders.size()));
    SimNode b = nodes.get(later.nextInt(nodes.size()));
    while (b == a) {
      b = nodes.get(later.nextInt(nodes.size()));
    }
    long span = 1_000 + later.nextLong(plan.maxLinkCut());
    // On top of whatever partition is in force; healed alone, unless a later partition or cut
    // replaced the shape meanwhile.
    links.setBoth(a.index(), b.index(), false);
    long number = ++partitions;
    int from = a.index();
    int to = b.index();
    String link = a.name() + "<->" + b.name();
    events.after(span, "heal link " + link, () -> {
      if (partitions != number) {
        return "superseded by a later partition";
      }
      links.setBoth(from, to, true);
      return "";
    });
    return "cut link " + link + " for " + TraceFormat.time(span);
  }

  /** Cuts every link to and from {@code lone}: a partition of its own. */
  private void isolate(SimNode lone) {
    links.healAll();
    for (SimNode other : nodes) {
      if (other != lone) {
        links.setBoth(lone.index(), other.index(), false);
      }
    }
    partitions++;
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

  long stalls() {
    return stalls;
  }
}
