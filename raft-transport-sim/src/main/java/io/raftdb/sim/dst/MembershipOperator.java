package io.raftdb.sim.dst;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * An operator who changes the group's membership during the fault phase, on runs that ask for it
 * ({@link SimulationOptions#membershipChanges()}): now and then it asks a node that believes it
 * leads to add a learner (promoted once caught up, or not), promote one, remove a member, or
 * replace the voters by a random set (a joint change when more than one differs). Its choices
 * come from a stream of their own, so that runs without it draw what they drew before.
 */
final class MembershipOperator {
  /** Mean virtual microseconds between two changes asked for. */
  static final long MEAN_CHANGE_INTERVAL = 60_000;

  private final EventQueue events;
  private final SplittableRandom random;
  private final List<SimNode> nodes;
  private boolean running;
  private long asked;

  MembershipOperator(EventQueue events, SplittableRandom random, List<SimNode> nodes) {
    this.events = events;
    this.random = random;
    this.nodes = nodes;
  }

  void start() {
    running = true;
    schedule();
  }

  /** The end of the fault phase: no more changes are asked for. */
  void stop() {
    running = false;
  }

  long changesAsked() {
    return asked;
  }

  private void schedule() {
    events.after(RandomTimes.exponential(random, MEAN_CHANGE_INTERVAL), "operator membership",
        this::change);
  }

  private String change() {
    if (!running) {
      return "stopped";
    }
    schedule();
    SimNode leader = likelyLeader();
    if (leader == null) {
      return "no leader to ask";
    }
    // Mostly changes that make sense on the leader's membership, now and then one that does not.
    Membership m = leader.membership();
    List<NodeId> outside = new ArrayList<>();
    for (SimNode n : nodes) {
      if (!m.contains(n.id())) {
        outside.add(n.id());
      }
    }
    List<NodeId> members = List.copyOf(m.members());
    List<NodeId> learners = List.copyOf(m.learners());
    String what;
    UnaryOperator<Membership> change;
    int kind = random.nextInt(10);
    if (kind < 3 && !outside.isEmpty()) {
      NodeId target = outside.get(random.nextInt(outside.size()));
      boolean promote = random.nextInt(3) != 0;
      what = "add " + target + (promote ? " to promote" : " as a learner");
      change = c -> c.withLearner(target, promote);
    } else if (kind < 4 && !learners.isEmpty()) {
      NodeId target = learners.get(random.nextInt(learners.size()));
      what = "promote " + target;
      change = c -> c.withPromoted(target);
    } else if (kind < 7 && !members.isEmpty()) {
      NodeId target = members.get(random.nextInt(members.size()));
      what = "remove " + target;
      change = c -> c.without(target);
    } else {
      List<NodeId> voters = randomVoters();
      what = "voters " + voters;
      change = c -> c.withVoters(voters);
    }
    asked++;
    String note = leader.changeMembership(change);
    return leader.name() + ": " + what + (note.isEmpty() ? "" : ", " + note);
  }

  private List<NodeId> randomVoters() {
    List<NodeId> voters = new ArrayList<>();
    for (SimNode n : nodes) {
      if (random.nextInt(3) != 0) {
        voters.add(n.id());
      }
    }
    return voters.isEmpty() ? List.of(nodes.get(random.nextInt(nodes.size())).id()) : voters;
  }

  private SimNode likelyLeader() {
    List<SimNode> leaders = new ArrayList<>();
    for (SimNode n : nodes) {
      if (n.isUp() && n.role() == Role.LEADER) {
        leaders.add(n);
      }
    }
    return leaders.isEmpty() ? null : leaders.get(random.nextInt(leaders.size()));
  }
}
