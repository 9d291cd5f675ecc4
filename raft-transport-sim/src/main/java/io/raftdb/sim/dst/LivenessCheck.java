package io.raftdb.sim.dst;

import io.raftdb.LogPosition;
import io.raftdb.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Liveness once the faults have healed: within {@link #BOUND} of virtual time a leader must be
 * known to every member, and a fresh command proposed to it must be applied by every member
 * (every node, unless the membership changed: then the members of the newest leader's). If the
 * command is lost (a new leader overwrote it), a new one is proposed, within the same bound.
 */
final class LivenessCheck {
  /**
   * How long after healing the cluster may take: a few hundred election timeouts, far beyond
   * any reasonable election, yet bounded.
   */
  static final long BOUND = 30_000_000;
  /** How long to wait for a proposal to be appended before proposing again. */
  static final long RETRY_AFTER = 50_000;

  private final EventQueue events;
  private final List<SimNode> nodes;
  private final CommittedLog committed;
  private final long deadline;
  private LogPosition proposed;
  private long proposedAt = -RETRY_AFTER;
  private int attempts;
  private long leaderAt = -1;

  LivenessCheck(EventQueue events, List<SimNode> nodes, CommittedLog committed, long healedAt) {
    this.events = events;
    this.nodes = nodes;
    this.committed = committed;
    this.deadline = healedAt + BOUND;
  }

  /**
   * Looks at the cluster after an event; returns whether liveness has been shown.
   *
   * @throws InvariantViolation once the deadline has passed without it
   */
  boolean satisfied() {
    long now = events.now();
    SimNode leader = agreedLeader();
    if (leader != null && leaderAt < 0) {
      leaderAt = now;
    }
    if (proposed != null) {
      long termThere = committed.term(proposed.index());
      if (termThere == proposed.term()) {
        if (allApplied(proposed.index())) {
          return true;
        }
      } else if (termThere != 0 || (leader != null && leader.term() > proposed.term())) {
        proposed = null; // overwritten, or lost with its leader's term: propose another
      }
    }
    if (now > deadline) {
      throw new InvariantViolation(InvariantFamily.LIVENESS, failureDetail(leader));
    }
    if (proposed == null && leader != null && now - proposedAt >= RETRY_AFTER) {
      proposedAt = now;
      int attempt = ++attempts;
      byte[] command = ("liveness-" + attempt).getBytes(StandardCharsets.US_ASCII);
      events.after(0, "liveness check proposes #" + attempt + " to " + leader.name(),
          () -> leader.propose(command, at -> proposed = at));
    }
    return false;
  }

  /**
   * The leader of the highest term, if every member of its membership (every node, unless the
   * membership changed) is up and follows it in that term. Nodes it no longer counts as members
   * (removed, or never added) need not follow anyone.
   */
  private SimNode agreedLeader() {
    SimNode leader = newestLeader();
    if (leader == null) {
      return null;
    }
    for (SimNode n : members()) {
      if (!n.isUp() || !leader.id().equals(n.leader()) || n.term() != leader.term()) {
        return null;
      }
    }
    return leader;
  }

  private SimNode newestLeader() {
    SimNode leader = null;
    for (SimNode n : nodes) {
      if (n.isUp() && n.role() == Role.LEADER && (leader == null || n.term() > leader.term())) {
        leader = n;
      }
    }
    return leader;
  }

  /** The members of the newest leader's membership, or every node while none leads. */
  private List<SimNode> members() {
    SimNode leader = newestLeader();
    if (leader == null) {
      return nodes;
    }
    List<SimNode> members = new ArrayList<>();
    for (SimNode n : nodes) {
      if (leader.membership().contains(n.id())) {
        members.add(n);
      }
    }
    return members;
  }

  private boolean allApplied(long index) {
    for (SimNode n : members()) {
      if (!n.isUp() || n.appliedIndex() < index) {
        return false;
      }
    }
    return true;
  }

  private String failureDetail(SimNode leader) {
    if (leader == null) {
      return "no leader known to every node within " + TraceFormat.time(BOUND)
          + " after healing";
    }
    StringBuilder behind = new StringBuilder();
    for (SimNode n : nodes) {
      if (proposed == null || n.appliedIndex() < proposed.index()) {
        behind.append(' ').append(n.name()).append("(applied ").append(n.appliedIndex())
            .append(')');
      }
    }
    return "every node follows " + leader.name() + " (a leader known to all was first seen at "
        + TraceFormat.time(leaderAt) + ") but " + (proposed == null
        ? "no command was appended after " + attempts + " attempts"
        : "command " + proposed.index() + "@" + proposed.term() + " not applied by" + behind)
        + " within " + TraceFormat.time(BOUND) + " after healing";
  }
}
