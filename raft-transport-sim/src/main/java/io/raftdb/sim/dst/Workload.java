package io.raftdb.sim.dst;

import io.raftdb.ReadConsistency;
import io.raftdb.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Clients and an operator acting on the cluster during the fault phase: commands proposed to
 * whichever node looks like a leader (stale leaders included, as real clients would find them),
 * linearizable reads, and now and then a leadership transfer. Each command is unique, so that a
 * difference in what two nodes apply always shows in their state machines' values.
 *
 * <p>On some seeds the clients also fall quiet now and then: for a spell nobody proposes, and
 * reads come thick and fast (a read-mostly phase). An idle log is what lets a node that missed
 * the leader's heartbeats still have a log good enough to win an election, which is when a
 * voter's promises to the leader matter; the reads are what would notice a broken promise.
 */
final class Workload {
  /** Mean virtual microseconds between two proposals, two reads and two transfers. */
  static final long MEAN_PROPOSE_INTERVAL = 15_000;
  static final long MEAN_READ_INTERVAL = 40_000;
  static final long MEAN_TRANSFER_INTERVAL = 1_500_000;
  /** Command payloads are this long at most (so that an AppendEntries carries several). */
  static final int MAX_COMMAND_BYTES = 100;
  /** Mean virtual microseconds between two quiet spells, and the longest spell. */
  static final long MEAN_QUIET_INTERVAL = 500_000;
  static final long MAX_QUIET_SPELL = 1_000_000;
  /** Mean virtual microseconds between two extra reads during a quiet spell. */
  static final long MEAN_SPELL_READ_INTERVAL = 5_000;

  private final EventQueue events;
  private final SplittableRandom random;
  private final List<SimNode> nodes;
  private final Invariants invariants;
  private final boolean leaseReads;
  private boolean running;
  /** Proposals are held back until this virtual time. */
  private long quietUntil;
  private long commands;
  private long accepted;
  private long reads;

  Workload(EventQueue events, SplittableRandom random, List<SimNode> nodes, Invariants invariants,
      boolean leaseReads) {
    this.events = events;
    this.random = random;
    this.nodes = nodes;
    this.invariants = invariants;
    this.leaseReads = leaseReads;
  }

  /** Starts the clients. */
  void start() {
    running = true;
    events.after(RandomTimes.exponential(random, MEAN_PROPOSE_INTERVAL), "client propose",
        this::propose);
    events.after(RandomTimes.exponential(random, MEAN_READ_INTERVAL), "client read",
        this::read);
    events.after(RandomTimes.exponential(random, MEAN_TRANSFER_INTERVAL), "operator transfer",
        this::transfer);
  }

  /**
   * Makes the clients fall quiet at random moments, for random spells, drawn from
   * {@code spells} (a stream of its own, so that seeds without spells propose as before).
   */
  void startQuietSpells(SplittableRandom spells) {
    events.after(RandomTimes.exponential(spells, MEAN_QUIET_INTERVAL), "clients fall quiet",
        () -> quietSpell(spells));
  }

  private String quietSpell(SplittableRandom spells) {
    if (!running) {
      return "stopped";
    }
    long spell = 1_000 + spells.nextLong(MAX_QUIET_SPELL);
    quietUntil = events.now() + spell;
    events.after(spell + RandomTimes.exponential(spells, MEAN_QUIET_INTERVAL),
        "clients fall quiet", () -> quietSpell(spells));
    events.after(RandomTimes.exponential(spells, MEAN_SPELL_READ_INTERVAL), "client read",
        () -> spellRead(spells));
    return "no proposals for " + TraceFormat.time(spell) + ", reads only";
  }

  /** One of the extra reads of a quiet spell, drawn from the spells' own stream. */
  private String spellRead(SplittableRandom spells) {
    if (!running || events.now() >= quietUntil) {
      return "quiet spell over";
    }
    events.after(RandomTimes.exponential(spells, MEAN_SPELL_READ_INTERVAL), "client read",
        () -> spellRead(spells));
    return issueRead(spells);
  }

  /** Stops the clients (pending events then do nothing). */
  void stop() {
    running = false;
  }

  private String propose() {
    if (!running) {
      return "stopped";
    }
    events.after(RandomTimes.exponential(random, MEAN_PROPOSE_INTERVAL), "client propose",
        this::propose);
    if (events.now() < quietUntil) {
      return "quiet spell";
    }
    SimNode target = likelyLeader();
    long n = ++commands;
    byte[] command = command(n);
    return noted("#" + n + " to " + target.name(), target.propose(command, at -> accepted++));
  }

  private String read() {
    if (!running) {
      return "stopped";
    }
    events.after(RandomTimes.exponential(random, MEAN_READ_INTERVAL), "client read",
        this::read);
    return issueRead(random);
  }

  /** Sends one read to a likely leader, with choices drawn from {@code chance}. */
  private String issueRead(SplittableRandom chance) {
    SimNode target = likelyLeader(chance);
    long id = ++reads;
    ReadConsistency consistency = leaseReads && chance.nextBoolean()
        ? ReadConsistency.LEASE : ReadConsistency.LINEARIZABLE;
    invariants.readIssued(id);
    return noted("#" + id + " " + consistency + " to " + target.name(),
        target.read(id, consistency, () -> invariants.readAbandoned(id)));
  }

  private String transfer() {
    if (!running) {
      return "stopped";
    }
    events.after(RandomTimes.exponential(random, MEAN_TRANSFER_INTERVAL), "operator transfer",
        this::transfer);
    SimNode from = likelyLeader();
    if (nodes.size() < 2) {
      return "nobody to transfer to";
    }
    SimNode to = nodes.get(random.nextInt(nodes.size()));
    while (to == from) {
      to = nodes.get(random.nextInt(nodes.size()));
    }
    return noted(from.name() + " -> " + to.name(), from.transferLeadership(to.id()));
  }

  /** {@code what}, followed by the target node's note on it if there is one. */
  private static String noted(String what, String note) {
    return note.isEmpty() ? what : what + ", " + note;
  }

  private SimNode likelyLeader() {
    return likelyLeader(random);
  }

  /** A random node among those that believe they lead, or any node if none does. */
  private SimNode likelyLeader(SplittableRandom chance) {
    List<SimNode> leaders = new ArrayList<>();
    for (SimNode n : nodes) {
      if (n.isUp() && n.role() == Role.LEADER) {
        leaders.add(n);
      }
    }
    List<SimNode> pool = leaders.isEmpty() ? nodes : leaders;
    return pool.get(chance.nextInt(pool.size()));
  }

  private byte[] command(long n) {
    byte[] head = ("cmd-" + n + "-").getBytes(StandardCharsets.US_ASCII);
    int length = Math.max(head.length, 8 + random.nextInt(MAX_COMMAND_BYTES - 7));
    byte[] command = new byte[length];
    System.arraycopy(head, 0, command, 0, head.length);
    for (int i = head.length; i < length; i++) {
      command[i] = (byte) ('a' + random.nextInt(26));
    }
    return command;
  }


  long commandsProposed() {
    return commands;
  }

  long commandsAccepted() {
    return accepted;
  }

  long readsIssued() {
    return reads;
  }
}
