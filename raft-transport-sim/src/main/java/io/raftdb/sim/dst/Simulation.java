package io.raftdb.sim.dst;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.RaftConfig;
import io.raftdb.Role;
import io.raftdb.core.protocol.Outbound;
import io.raftdb.message.RaftMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A deterministic simulation of one Raft group: N {@link io.raftdb.core.protocol.RaftProtocol}
 * instances in one thread on virtual time, with crashes, restarts, partitions, lost, delayed,
 * reordered and duplicated messages, skewed clocks, slow disks and stalled nodes, all drawn
 * from one seed.
 * Every safety property is checked after every event; after the fault phase the world heals and
 * liveness is checked. The same options replay the same run, event for event.
 *
 * <p>Use {@link #run(SimulationOptions)}; an instance runs once. Not thread-safe (it needs no
 * threads: independent runs may go on in parallel, each in its own thread).
 */
public final class Simulation {
  /** The most events the liveness phase may take (virtual time bounds it long before that). */
  static final long MAX_LIVENESS_EVENTS = 5_000_000;
  /** Nodes that start outside the group on runs with membership changes, for it to add. */
  static final int JOINERS = 2;
  /** Mixed into the seed for the membership operator's stream of its own. */
  private static final long MEMBERSHIP_STREAM = 0x6D656D62657273L;

  private final SimulationOptions options;
  private final SplittableRandom random;
  private final EventQueue events = new EventQueue();
  private final Trace trace;
  private final Invariants invariants;
  private final List<SimNode> nodes = new ArrayList<>();
  private final Map<NodeId, Integer> indexOf = new HashMap<>();
  private final Links links;
  private final VirtualNetwork network;
  private final FaultPlan faultPlan;
  private final FaultSchedule faults;
  private final Workload workload;
  private final RaftConfig config;
  private final SnapshotPlan snapshotPlan;
  private final SnapshotCounters snapshotCounters = new SnapshotCounters();
  /** Whether clients issue LEASE reads: asked for, and the clock drift bound covers the skew. */
  private final boolean leaseReads;
  /** The stream the clients' quiet spells are drawn from, or null on seeds without them. */
  private final SplittableRandom quietSpells;
  private final SplittableRandom laterFaults;
  /** The operator changing memberships, on runs that ask for it; else null. */
  private final MembershipOperator operator;
  private FaultPlan plan;
  private long fired;

  private Simulation(SimulationOptions options, Consumer<String> listener) {
    this.options = options;
    this.random = new SplittableRandom(options.seed());
    this.trace = new Trace(listener::accept);
    List<NodeId> members = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int total = options.nodes() + (options.membershipChanges() ? JOINERS : 0);
    for (int i = 1; i <= total; i++) {
      NodeId id = NodeId.of("n" + i);
      members.add(id);
      names.add(id.value());
      indexOf.put(id, i - 1);
    }
    Membership founders = Membership.ofVoters(members.subList(0, options.nodes()));
    this.invariants = new Invariants(names, options.checks());
    this.laterFaults = FaultPlan.laterFaultsRandom(options.seed());
    this.faultPlan = FaultPlan.draw(random, laterFaults, options.variant());
    this.plan = faultPlan;
    RaftConfig drawn = RaftConfig.defaults()
        .withTickInterval(Duration.ofMillis(10))
        .withHeartbeatInterval(Duration.ofMillis(30))
        .withElectionTimeout(Duration.ofMillis(100))
        .withMaxInflightAppends(4)
        .withMaxAppendBytes(1024)
        .withPreVote(random.nextBoolean())
        .withCheckQuorum(random.nextBoolean());
    this.leaseReads = options.leaseReads() && faultPlan.leaseReadsSafe();
    if (faultPlan.maxSkew() > 0 && faultPlan.leaseReadsSafe()) {
      // The lease then holds for skewed clocks too (the arithmetic is at clockDriftBound).
      drawn = drawn.withMaxClockDrift(faultPlan.clockDriftBound());
    }
    // From a stream of its own: a run without snapshots draws what it drew before they existed.
    this.snapshotPlan = SnapshotPlan.draw(options.seed(), options.snapshots(), options.variant());
    this.config = !snapshotPlan.on() ? drawn : drawn.withSnapshotThreshold(snapshotPlan.every())
        .withSnapshotChunkBytes(snapshotPlan.chunkBytes());
    this.links = new Links(total);
    MessageTamper tamper = options.variant() == BrokenVariant.MUTATING_NETWORK
        ? new AppendEntriesCorruptor() : MessageTamper.HONEST;
    this.network = new VirtualNetwork(events, random, links, tamper, this::deliver);
    network.use(faultPlan);
    for (int i = 0; i < total; i++) {
      nodes.add(new SimNode(i, members.get(i), i < options.nodes() ? founders : Membership.NONE,
          config, new Host(), new SimDisk(options.variant(), random.split(), snapshotPlan.kept()),
          snapshotPlan, options.variant()));
    }
    this.faults = new FaultSchedule(events, random, laterFaults, nodes, links, faultPlan);
    this.workload = new Workload(events, random, nodes, invariants, leaseReads);
    this.quietSpells = faultPlan.clientQuietSpells() ? laterFaults.split() : null;
    this.operator = options.membershipChanges() ? new MembershipOperator(events,
        new SplittableRandom(options.seed() ^ MEMBERSHIP_STREAM), nodes) : null;
  }

  /** Runs the simulation the options describe. */
  public static SimulationResult run(SimulationOptions options) {
    return run(options, line -> { });
  }

  /** Runs the simulation, also handing every event line to {@code listener} as it happens. */
  public static SimulationResult run(SimulationOptions options, Consumer<String> listener) {
    return new Simulation(options, listener).execute();
  }

  private SimulationResult execute() {
    SimulationFailure failure = null;
    try {
      for (SimNode n : nodes) {
        n.start();
      }
      faults.start();
      workload.start();
      if (quietSpells != null) {
        workload.startQuietSpells(quietSpells);
      }
      if (operator != null) {
        operator.start();
      }
      while (fired < options.steps()) {
        step();
      }
      heal();
      if (options.checks(InvariantFamily.LIVENESS)) {
        checkLiveness();
      }
    } catch (InvariantViolation v) {
      failure = new SimulationFailure(v.family(), v.detail(), v.nodes(), fired, events.now());
    } catch (RuntimeException e) {
      throw new IllegalStateException("simulator error in seed " + options.seed()
          + " after event #" + fired + "; replay: " + options.replayCommand(), e);
    }
    return new SimulationResult(options, failure, fired, events.now(), trace.hash(),
        trace.lastLines(), world(), stats(), snapshotCounters.snapshot());
  }

  /** Runs the healed cluster until it shows liveness, or fails once the bound has passed. */
  private void checkLiveness() {
    LivenessCheck liveness = new LivenessCheck(events, nodes, invariants.committedLog(),
        events.now());
    long budget = fired + MAX_LIVENESS_EVENTS;
    while (!liveness.satisfied()) {
      if (fired >= budget) {
        throw new InvariantViolation(InvariantFamily.LIVENESS,
            "no progress within " + MAX_LIVENESS_EVENTS + " events after healing");
      }
      step();
    }
  }

  /** Fires the next event, records it and checks every invariant. */
  private void step() {
    EventQueue.Scheduled s = events.next();
    fired++;
    String note;
    try {
      note = s.action().run();
      invariants.afterEvent(nodes);
      if (options.checks(InvariantFamily.MEMBERSHIP_FROM_LOG)) {
        checkMemberships();
      }
    } catch (InvariantViolation v) {
      trace.record(line(s, "VIOLATION " + v.getMessage()));
      throw v;
    }
    trace.record(line(s, note));
  }

  /** Every node's membership is the newest its written log holds. */
  private void checkMemberships() {
    for (SimNode n : nodes) {
      String problem = n.membershipProblem();
      if (problem != null) {
        throw new InvariantViolation(InvariantFamily.MEMBERSHIP_FROM_LOG, problem, n.name());
      }
    }
  }

  private String line(EventQueue.Scheduled s, String note) {
    StringBuilder sb = new StringBuilder(200);
    sb.append('#').append(fired).append(' ').append(TraceFormat.time(s.time())).append(' ')
        .append(s.label());
    if (note != null && !note.isEmpty()) {
      sb.append(": ").append(note);
    }
    sb.append(" |");
    for (SimNode n : nodes) {
      sb.append(' ').append(n.describe()).append(';');
    }
    return sb.toString();
  }

  /** The end of the fault phase: heal every fault and stop the clients. */
  private void heal() {
    plan = FaultPlan.CALM;
    network.use(FaultPlan.CALM);
    workload.stop();
    if (operator != null) {
      operator.stop();
    }
    faults.heal();
    trace.record("#" + fired + " " + TraceFormat.time(events.now())
        + " HEAL: network whole, clocks true, disks fast, every node up; liveness from here");
  }

  private String deliver(int to, RaftMessage m) {
    return nodes.get(to).receive(m);
  }

  private String world() {
    return faultPlan.describe() + " preVote=" + config.preVote() + " checkQuorum="
        + config.checkQuorum() + (leaseReads ? " leaseReads maxClockDrift="
        + config.maxClockDrift() : "") + "; " + snapshotPlan.describe();
  }

  private String stats() {
    return "events=" + fired + " virtual=" + TraceFormat.time(events.now()) + " messages="
        + network.sent() + " lost=" + network.lost() + " duplicated=" + network.duplicated()
        + " crashes=" + faults.crashes() + " partitions=" + faults.partitions() + " stalls="
        + faults.stalls() + " commands="
        + workload.commandsProposed() + " accepted=" + workload.commandsAccepted()
        + " committed=" + invariants.committedLog().lastIndex() + " reads="
        + workload.readsIssued() + " readsServed=" + invariants.readsServed()
        + " leaderTerms=" + invariants.termsWithLeader()
        + (snapshotPlan.on() ? " " + snapshotCounters.snapshot().describe() : "")
        + (operator != null ? " membershipChangesAsked=" + operator.changesAsked() : "");
  }

  /** What the nodes see of the simulation. */
  private final class Host implements NodeHost {
    @Override
    public EventQueue events() {
      return events;
    }

    @Override
    public SplittableRandom random() {
      return random;
    }

    @Override
    public SplittableRandom laterFaultsRandom() {
      return laterFaults;
    }

    @Override
    public FaultPlan plan() {
      return plan;
    }

    @Override
    public Invariants invariants() {
      return invariants;
    }

    @Override
    public SnapshotCounters snapshotCounters() {
      return snapshotCounters;
    }

    @Override
    public void send(int from, Outbound message) {
      network.send(from, indexOf.get(message.to()), message.message());
    }

    @Override
    public void crashedItself(SimNode node) {
      faults.crashedItself(node);
    }

    @Override
    public boolean othersCampaign(SimNode node) {
      for (SimNode n : nodes) {
        if (n != node && n.isUp()
            && (n.role() == Role.CANDIDATE || n.role() == Role.PRE_CANDIDATE)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void crashedAfterAck(SimNode node) {
      faults.crashedAfterAck(node);
    }
  }
}
