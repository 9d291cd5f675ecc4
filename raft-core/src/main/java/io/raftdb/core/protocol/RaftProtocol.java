package io.raftdb.core.protocol;

import io.raftdb.LogPosition;
import io.raftdb.Membership;
import io.raftdb.MembershipChangeException;
import io.raftdb.NodeId;
import io.raftdb.NotLeaderException;
import io.raftdb.RaftConfig;
import io.raftdb.ReadConsistency;
import io.raftdb.Role;
import io.raftdb.message.AppendEntries;
import io.raftdb.message.AppendEntriesResponse;
import io.raftdb.message.CodecException;
import io.raftdb.message.EntryKind;
import io.raftdb.message.InstallSnapshot;
import io.raftdb.message.InstallSnapshotResponse;
import io.raftdb.message.LogEntry;
import io.raftdb.message.MembershipCodec;
import io.raftdb.message.RaftMessage;
import io.raftdb.message.ReadIndexRequest;
import io.raftdb.message.ReadIndexResponse;
import io.raftdb.message.RequestVote;
import io.raftdb.message.RequestVoteResponse;
import io.raftdb.message.TimeoutNow;
import io.raftdb.storage.HardState;
import io.raftdb.storage.LogStorage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The Raft protocol of one node of one group: a pure, deterministic, single-threaded state
 * machine in the style of etcd-raft. It never touches a thread, a clock, a socket, a file or an
 * unseeded random source: time arrives as {@link #tick()}, messages as {@link #step}, commands
 * as {@link #propose}, and everything it wants done comes out of {@link #ready()} (see
 * {@link Ready} for the order in which to act on it). It reads its durable log through the
 * {@link LogStorage} it is given, which the runtime writes to.
 *
 * <p>It implements leader election with randomized timeouts (thesis §3.4), pre-vote and
 * check-quorum (§9.6), log replication with fast back-up over a conflicting term (§3.5),
 * pipelined AppendEntries with a bounded window per follower, commitment of current-term
 * entries by counting (§3.6.2), a no-op entry at the start of every term, ReadIndex and lease
 * reads (§6.4), leadership transfer (§3.10), snapshots with InstallSnapshot (chapter 5), and
 * membership changes (chapter 4): learners, one voter at a time, or joint changes, each in effect
 * once in the log.
 *
 * <p>Contract with the runtime: between {@link #ready()} and {@link #advance(Ready)} the runtime
 * writes the ready and calls nothing else on this object; it reports finished log syncs with
 * {@link #persisted}, which may come later (pipelined persistence, thesis §10.2.1).
 */
public final class RaftProtocol {
  /** The most committed-entry bytes handed out in one {@link Ready}. */
  private static final long MAX_COMMITTED_BYTES_PER_READY = 8L << 20;

  private final long groupId;
  private final NodeId self;
  /** The memberships in the log; the newest is in effect (thesis §4.1). */
  private final MembershipLog memberships;
  private Membership membership;
  private final RaftConfig config;
  private final int electionTicks;
  private final int heartbeatTicks;
  private final RaftLog log;
  private final RandomGenerator random;
  /** Monotonic nanoseconds: the one reading of real time, for the leader lease. */
  private final LongSupplier clock;
  private final long leaseNanos;

  private Role role = Role.FOLLOWER;
  private long term;
  private NodeId votedFor;
  private NodeId leader;
  private boolean hardStateDirty;
  private long commitIndex;
  /** The last committed index handed to the runtime for applying. */
  private long handedOutIndex;
  /** How many more committed-entry bytes the runtime will take (see {@link #limitHandOut}). */
  private long handOutBudget = Long.MAX_VALUE;
  /** The newest durable snapshot of this node, which it ships to followers that need it. */
  private LogPosition snapshot;
  /** An installed snapshot the state machine must load, not yet handed out. */
  private LogPosition snapshotToRestore;

  /** Ticks since this node started. */
  private long now;
  /** Set only by {@link #skipStartQuietPeriod()}, for the simulator's broken variant. */
  private boolean startQuietSkipped;
  private int electionElapsed;
  private int randomizedElectionTimeout;
  private int heartbeatElapsed;

  private final VoteTally votes = new VoteTally();
  private boolean campaigningForTransfer;
  /**
   * A campaign won by this node's own vote alone (it is the only voter), which makes it leader
   * only once its term and vote are durable (see {@link #advance}): otherwise a crash could take
   * the term back, and another node lead it too, once the membership that made this node the
   * only voter is lost with it.
   */
  private boolean electedOncePersisted;

  private final ProgressTracker progress;
  /** The leader's message round, echoed by followers (see {@link AppendEntries#round()}). */
  private long round;
  private final LeaderLease lease = new LeaderLease();
  private final ReadIndexTracker reads = new ReadIndexTracker();
  private final ForwardedReads forwardedReads = new ForwardedReads();
  private NodeId transferTarget;
  private int transferElapsed;
  /**
   * Set once this leader has told a follower to campaign: voters honour such a campaign despite
   * having heard from us, so from then on no lease can be trusted in this leadership.
   */
  private boolean leaseForfeited;

  private long invalidMessages;
  private long electionsStarted;
  private long leaderships;
  private String lastInvalidMessage;

  private final Outbox outbox = new Outbox();
  private final ArrayList<ReadState> readStates = new ArrayList<>();
  private final ArrayList<Long> droppedReads = new ArrayList<>();
  private final ArrayList<SnapshotRequest> snapshotsToSend = new ArrayList<>();
  private final ArrayList<InstallSnapshot> snapshotChunks = new ArrayList<>();

  /** A node of a group of these voters starting (or restarting) as a follower, with no snapshot. */
  public RaftProtocol(long groupId, NodeId self, List<NodeId> members, RaftConfig config,
      LogStorage log, HardState hardState, RandomGenerator random, LongSupplier clock) {
    this(groupId, self, votersHolding(self, members), config, log, hardState,
        new LogPosition(0, 0), random, clock);
  }

  /** A node of a group of these voters starting (or restarting) as a follower. */
  public RaftProtocol(long groupId, NodeId self, List<NodeId> members, RaftConfig config,
      LogStorage log, HardState hardState, LogPosition snapshot, RandomGenerator random,
      LongSupplier clock) {
    this(groupId, self, votersHolding(self, members), config, log, hardState, snapshot, random,
        clock);
  }

  private static Membership votersHolding(NodeId self, List<NodeId> members) {
    if (!members.contains(self) || Set.copyOf(members).size() != members.size()) {
      throw new IllegalArgumentException("members " + members + " must hold " + self + " once");
    }
    return Membership.ofVoters(members);
  }

  /**
   * A node starting (or restarting) as a follower.
   *
   * @param groupId the group; messages of other groups are ignored
   * @param self this node
   * @param membership the membership in {@code snapshot}, or without one the group's initial
   *     membership ({@link Membership#NONE} for a node that waits to be added to a group); the
   *     membership entries in the log after it take effect on top
   * @param config timing and flow control
   * @param log the durable log, which the runtime writes from {@link Ready#entries()}
   * @param hardState the durable term and vote
   * @param snapshot the newest durable snapshot, already loaded into the state machine (index 0
   *     if none); the log must continue from it
   * @param random the source of election-timeout randomness; seed it for reproducible runs
   * @param clock monotonic nanoseconds ({@code System::nanoTime}, or virtual time in a
   *     simulation); read only to time the leader lease, which must not trust ticks: a stalled
   *     event loop fires fewer ticks than real time passes
   */
  public RaftProtocol(long groupId, NodeId self, Membership membership, RaftConfig config,
      LogStorage log, HardState hardState, LogPosition snapshot, RandomGenerator random,
      LongSupplier clock) {
    this.groupId = groupId;
    this.self = Objects.requireNonNull(self, "self");
    this.config = config;
    this.electionTicks = config.electionTicks();
    this.heartbeatTicks = config.heartbeatTicks();
    this.log = new RaftLog(log);
    this.random = random;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.leaseNanos = config.leaseDuration().toNanos();
    this.term = hardState.term();
    this.votedFor = hardState.votedFor();
    this.progress = new ProgressTracker(self);
    this.snapshot = snapshot;
    if (snapshot.index() > 0 && this.log.termOrMissing(snapshot.index()) != snapshot.term()) {
      throw new IllegalArgumentException("the log (" + this.log.firstIndex() + ".."
          + this.log.lastIndex() + ") does not continue from snapshot " + snapshot);
    }
    this.memberships = new MembershipLog(snapshot.index(),
        Objects.requireNonNull(membership, "membership"));
    readMembershipsFromLog();
    membershipChanged();
    this.commitIndex = snapshot.index();
    this.handedOutIndex = snapshot.index();
    resetElectionTimer();
  }

  // ---------------------------------------------------------------- inputs

  /** Advances logical time by one tick. */
  public void tick() {
    now++;
    forwardedReads.dropSentBefore(now - electionTicks, droppedReads);
    if (role == Role.LEADER) {
      tickLeader();
      changeMembershipByItself();
    } else {
      electionElapsed++;
      if (!mayCampaign()) {
        return; // a learner, or removed: it does not campaign (thesis §4.2.3)
      }
      boolean alone = soleVoter();
      if ((alone && !promisedToStayQuiet()) || electionElapsed >= randomizedElectionTimeout) {
        campaign(config.preVote() && !alone, false);
      }
    }
  }

  /**
   * Takes one inbound message. Messages of other groups are ignored; messages from nodes outside
   * this node's membership are not, as that membership may be behind the sender's. A
   * message that no correct peer could have sent (see {@link MessageValidator}, and the checks
   * against this node's own state) is dropped before it changes anything, and counted.
   *
   * @return false if the message was dropped as invalid ({@link #lastInvalidMessage()} says why)
   */
  public boolean step(RaftMessage m) {
    if (m.groupId() != groupId || m.from().equals(self)) {
      return true;
    }
    String problem = MessageValidator.problem(m);
    if (problem == null) {
      problem = problemInThisState(m);
    }
    if (problem != null) {
      invalidMessages++;
      lastInvalidMessage = m.getClass().getSimpleName() + " from " + m.from() + " in term "
          + m.term() + ": " + problem;
      return false;
    }
    if (m.term() > term) {
      if (!acceptHigherTerm(m)) {
        return true;
      }
    } else if (m.term() < term) {
      answerStaleSender(m);
      return true;
    }
    if (m instanceof AppendEntries ae) {
      handleAppendEntries(ae);
    } else if (m instanceof AppendEntriesResponse r) {
      handleAppendResponse(r);
    } else if (m instanceof RequestVote rv) {
      handleRequestVote(rv);
    } else if (m instanceof RequestVoteResponse r) {
      handleVoteResponse(r);
    } else if (m instanceof TimeoutNow t) {
      handleTimeoutNow(t);
    } else if (m instanceof InstallSnapshot is) {
      handleInstallSnapshot(is);
    } else if (m instanceof InstallSnapshotResponse r) {
      handleInstallSnapshotResponse(r);
    } else if (m instanceof ReadIndexRequest r) {
      handleReadIndexRequest(r);
    } else if (m instanceof ReadIndexResponse r) {
      handleReadIndexResponse(r);
    }
    changeMembershipByItself();
    return true;
  }

  private void handleReadIndexRequest(ReadIndexRequest r) {
    if (role != Role.LEADER) {
      send(r.from(), new ReadIndexResponse(groupId, self, term, r.requestId(), false, 0), false);
      return;
    }
    long id = forwardedReads.accept(r.from(), r.requestId());
    if (id == 0) {
      send(r.from(), new ReadIndexResponse(groupId, self, term, r.requestId(), false, 0), false);
      return;
    }
    startRead(id, r.lease() ? ReadConsistency.LEASE : ReadConsistency.LINEARIZABLE);
  }

  private void handleReadIndexResponse(ReadIndexResponse r) {
    if (!forwardedReads.answered(r.requestId(), r.from())) {
      return; // not ours, or already dropped
    }
    if (r.granted()) {
      readStates.add(new ReadState(r.requestId(), r.readIndex()));
    } else {
      droppedReads.add(r.requestId());
    }
  }

  /**
   * Sends the leader's answers to followers' reads, which the read tracker confirmed or dropped
   * alongside this node's own (by their negative ids).
   */
  private void answerFollowerReads() {
    if (!forwardedReads.hasAccepted()) {
      return;
    }
    readStates.removeIf(rs -> {
      ForwardedReads.Origin o = forwardedReads.takeAccepted(rs.requestId());
      if (o != null) {
        send(o.from(), new ReadIndexResponse(groupId, self, term, o.requestId(), true,
            rs.index()), false);
      }
      return rs.requestId() < 0;
    });
    droppedReads.removeIf(id -> {
      ForwardedReads.Origin o = forwardedReads.takeAccepted(id);
      if (o != null) {
        send(o.from(), new ReadIndexResponse(groupId, self, term, o.requestId(), false, 0),
            false);
      }
      return id < 0;
    });
  }

  /**
   * Why {@code m} cannot be true given what this node knows for sure, or {@code null}. Only for
   * messages of the current or a newer term: an older term's message is answered as stale and
   * otherwise ignored, whatever it says.
   */
  private String problemInThisState(RaftMessage m) {
    if (m.term() < term) {
      return null;
    }
    boolean fromLeader = m instanceof AppendEntries || m instanceof InstallSnapshot;
    if (fromLeader && m.term() == term) {
      if (role == Role.LEADER) {
        return "this node leads term " + term;
      }
      if (leader != null && !leader.equals(m.from())) {
        return leader + " leads term " + term;
      }
    }
    if (m instanceof AppendEntries ae) {
      return appendProblem(ae);
    }
    if (role == Role.LEADER && m.term() == term) {
      // (A refusal may honestly name an index past our log: a follower answers a message of an
      // older leadership with its newer term and that message's index. It is ignored below.)
      long last = log.lastIndex();
      if (m instanceof AppendEntriesResponse r && r.success() && r.matchIndex() > last) {
        return "index " + r.matchIndex() + " is past this leader's last " + last;
      }
      if (m instanceof InstallSnapshotResponse r && r.done() && r.snapshotIndex() > last) {
        return "snapshot " + r.snapshotIndex() + " is past this leader's last index " + last;
      }
    }
    return null;
  }

  /** Why entries from a leader cannot be taken, or {@code null}. */
  private String appendProblem(AppendEntries ae) {
    for (LogEntry e : ae.entries()) {
      if (!log.fits(e)) {
        // Storing it would fail and stop this node; refusing it only stalls this follower.
        return "entry " + e.index() + " of " + e.payload().length
            + " bytes is larger than this node's log can store";
      }
      if (e.kind() == EntryKind.MEMBERSHIP) {
        String problem = membershipEntryProblem(e);
        if (problem != null) {
          return problem;
        }
      }
    }
    if (ae.prevLogIndex() < commitIndex && ae.lastIndex() > commitIndex) {
      // Entries up to our commit index are skipped as committed; the one at the commit index
      // must then be ours, or the rest would be appended after an entry they do not follow.
      long sent = ae.entries().get((int) (commitIndex - ae.prevLogIndex() - 1)).term();
      long ours = log.term(commitIndex);
      if (sent != ours) {
        return "entry " + commitIndex + " has term " + sent + " but the committed one has " + ours;
      }
    }
    return null;
  }

  private static String membershipEntryProblem(LogEntry e) {
    try {
      if (MembershipCodec.decode(e.payload()).voters().isEmpty()) {
        return "membership entry " + e.index() + " has no voters";
      }
      return null;
    } catch (CodecException malformed) {
      return "membership entry " + e.index() + " is malformed: " + malformed.getMessage();
    }
  }

  /**
   * Appends a command to the leader's log.
   *
   * @return where it was appended (not yet committed)
   * @throws NotLeaderException if this node is not the leader or is handing leadership over
   */
  public LogPosition propose(byte[] command) {
    return propose(EntryKind.COMMAND, command);
  }

  /**
   * Appends an entry of the given kind ({@link EntryKind#COMMAND} or {@link EntryKind#SESSION})
   * to the leader's log; see {@link #propose(byte[])}.
   */
  public LogPosition propose(EntryKind kind, byte[] command) {
    return new LogPosition(appendProposal(kind, command), term);
  }

  /**
   * As {@link #propose(EntryKind, byte[])}, returning only the index: the entry's term is
   * {@link #term()} (a caller that needs no position object saves one per command).
   */
  public long appendProposal(EntryKind kind, byte[] command) {
    if (kind == EntryKind.NO_OP || kind == EntryKind.MEMBERSHIP) {
      throw new IllegalArgumentException(kind + " entries are the protocol's own");
    }
    if (role != Role.LEADER || transferTarget != null) {
      throw new NotLeaderException(self, role == Role.LEADER ? null : leader);
    }
    LogEntry entry = new LogEntry(log.lastIndex() + 1, term, kind, command);
    if (!log.fits(entry)) {
      throw new IllegalArgumentException("a command of " + command.length
          + " bytes is larger than this node's log can store");
    }
    log.append(entry);
    return entry.index();
  }

  /**
   * Appends a change of membership to the leader's log; it takes effect at once (thesis §4.1).
   *
   * @return where it was appended (not yet committed)
   * @throws NotLeaderException if this node is not the leader or is handing leadership over
   * @throws MembershipChangeException if this leader has committed no entry of its term yet, a
   *     change is still uncommitted, or {@code next} is not one step from the membership in
   *     effect (see {@link Membership#canChangeTo})
   */
  public LogPosition proposeMembership(Membership next) {
    if (role != Role.LEADER || transferTarget != null) {
      throw new NotLeaderException(self, role == Role.LEADER ? null : leader);
    }
    String problem = membershipChangeProblem();
    if (problem != null) {
      throw new MembershipChangeException(problem, true);
    }
    if (!membership.canChangeTo(next)) {
      throw new MembershipChangeException("cannot go from " + membership + " to " + next
          + " in one step", false);
    }
    return appendMembership(next);
  }

  /** Why this leader cannot start a membership change now (a passing reason), or {@code null}. */
  private String membershipChangeProblem() {
    if (log.term(commitIndex) != term) {
      // Else an uncommitted change of an earlier leader may still commit (the bug of the
      // single-server algorithm that Ongaro reported in 2015): first commit this term's no-op.
      return "the leader has not yet committed an entry of its term; retry shortly";
    }
    if (memberships.currentIndex() > commitIndex) {
      return "the change to " + membership + " at index " + memberships.currentIndex()
          + " is not yet committed: one change at a time";
    }
    return null;
  }

  private LogPosition appendMembership(Membership next) {
    LogEntry entry = new LogEntry(log.lastIndex() + 1, term, EntryKind.MEMBERSHIP,
        MembershipCodec.encode(next));
    log.append(entry);
    memberships.appended(entry.index(), next);
    membershipChanged();
    return entry.position();
  }

  /**
   * Starts a linearizable read; its {@link ReadState} comes out of a later {@link #ready()} (or
   * its id in {@link Ready#droppedReads()} if it cannot be confirmed). On the leader, a
   * {@link ReadConsistency#LEASE} read is confirmed at once while the lease holds. A follower
   * asks the leader it knows for the read index (thesis §6.4); the read is dropped if the term or
   * the leader changes first, or if no answer comes within an election timeout.
   *
   * @param requestId a positive id, unique among this node's reads
   * @throws NotLeaderException if this node is not the leader and knows none
   */
  public void readIndex(long requestId, ReadConsistency consistency) {
    if (consistency == ReadConsistency.STALE) {
      throw new IllegalArgumentException("stale reads need no read index");
    }
    if (requestId < 1) {
      throw new IllegalArgumentException("read ids are positive, got " + requestId);
    }
    if (role != Role.LEADER) {
      if (role != Role.FOLLOWER || leader == null) {
        throw new NotLeaderException(self, null);
      }
      forwardedReads.forward(requestId, leader, now);
      send(leader, new ReadIndexRequest(groupId, self, term, requestId,
          consistency == ReadConsistency.LEASE), false);
      return;
    }
    startRead(requestId, consistency);
  }

  /** Indexes a read on the leader, its own ({@code requestId > 0}) or a follower's (< 0). */
  private void startRead(long requestId, ReadConsistency consistency) {
    boolean committedInTerm = log.term(commitIndex) == term;
    if (!committedInTerm) {
      reads.awaitCommit(requestId);
    } else if (consistency == ReadConsistency.LEASE && leaseHolds()) {
      readStates.add(new ReadState(requestId, commitIndex));
    } else {
      reads.awaitRound(requestId, commitIndex);
    }
  }

  /**
   * Starts handing leadership to {@code target} (thesis §3.10): proposals are refused from now
   * on; once the target's log is complete it is told to campaign at once. The transfer is
   * abandoned after an election timeout.
   *
   * @throws NotLeaderException if this node is not the leader
   */
  public void transferLeadership(NodeId target) {
    if (role != Role.LEADER) {
      throw new NotLeaderException(self, leader);
    }
    if (!membership.isVoter(target)) {
      throw new IllegalArgumentException(target + " is not a voter of " + membership);
    }
    if (target.equals(self)) {
      return;
    }
    transferTarget = target;
    transferElapsed = 0;
    if (progress.get(target).matchIndex == log.lastIndex()) {
      sendTimeoutNow(target);
    }
  }

  /** The runtime has made a snapshot of this node durable; the log before it may be dropped. */
  public void snapshotSaved(long index, long term) {
    if (index > snapshot.index()) {
      snapshot = new LogPosition(index, term);
      memberships.compactTo(Math.min(index, commitIndex));
    }
  }

  /**
   * A snapshot shipped by the leader is complete, checked and durable on this node. Unless this
   * node already has everything it covers, the log is discarded in favour of it (thesis §5.3: an
   * entry at the snapshot's index with the snapshot's term means the log already agrees, and it
   * is kept).
   *
   * @param membership the membership the snapshot holds
   * @return whether the state machine must load the snapshot (it comes out of {@link #ready()})
   */
  public boolean installSnapshot(long index, long term, Membership membership) {
    snapshotSaved(index, term);
    if (index <= commitIndex) {
      return false;
    }
    if (log.termOrMissing(index) == term) {
      commitIndex = index; // our log holds these entries; they are applied from it
      return false;
    }
    LogPosition installed = new LogPosition(index, term);
    log.resetTo(installed);
    memberships.resetTo(index, membership);
    membershipChanged();
    commitIndex = index;
    handedOutIndex = index;
    snapshotToRestore = installed;
    return true;
  }

  /**
   * Caps the committed-entry bytes that the next readies hand out, until the next call: the
   * runtime's state machine has only so much room left. While the cap is 0, committed entries
   * wait here (they are durable in the log, so waiting costs no memory). One entry larger than
   * the cap still goes out, so that no entry can block the rest forever.
   */
  public void limitHandOut(long bytes) {
    handOutBudget = bytes;
  }

  /** Shipping a snapshot to {@code peer} stalled or failed; try again from a probe. */
  public void snapshotSendFailed(NodeId peer) {
    Progress p = role == Role.LEADER ? progress.get(peer) : null;
    if (p != null && p.mode == Progress.Mode.SNAPSHOT) {
      p.probeFrom(p.matchIndex + 1);
    }
  }

  /**
   * Lets this node grant votes right after it starts, as it did before the start-up quiet period
   * existed. Only the simulator's broken variant calls it, to show that its checks catch the
   * stale lease reads this allows; never call it in a real node.
   */
  public void skipStartQuietPeriod() {
    startQuietSkipped = true;
  }

  // ---------------------------------------------------------------- output loop

  /** Whether {@link #ready()} has something for the runtime. */
  public boolean hasReady() {
    if (role == Role.LEADER) {
      flushLeaderMessages();
    }
    return hardStateDirty || !outbox.isEmpty()
        || log.hasUnstable()
        || (handOutLimit() > handedOutIndex && handOutBudget > 0)
        || !readStates.isEmpty() || !droppedReads.isEmpty()
        || snapshotToRestore != null || !snapshotsToSend.isEmpty() || !snapshotChunks.isEmpty();
  }

  /** Takes everything the runtime must act on now (see {@link Ready} for the order). */
  public Ready ready() {
    answerFollowerReads();
    if (role == Role.LEADER) {
      flushLeaderMessages();
    }
    HardState hardState = hardStateDirty ? new HardState(term, votedFor) : null;
    hardStateDirty = false;
    List<LogEntry> committed = List.of();
    long committedBytes = 0;
    long handOutLimit = handOutLimit();
    if (handOutLimit > handedOutIndex && handOutBudget > 0) {
      committed = log.entries(handedOutIndex + 1, handOutLimit + 1,
          Math.min(handOutBudget, MAX_COMMITTED_BYTES_PER_READY));
      handedOutIndex += committed.size();
      for (int i = 0, n = committed.size(); i < n; i++) {
        committedBytes += committed.get(i).sizeEstimate();
      }
      handOutBudget -= committedBytes;
    }
    // A changed term or vote must be durable before anything this node says goes out.
    List<Outbound> now = outbox.takeNow(hardState != null);
    List<Outbound> afterPersist = outbox.takeAfterPersist();
    Ready ready = new Ready(hardState, log.unstableEntries(), now, afterPersist, committed,
        List.copyOf(readStates), List.copyOf(droppedReads), log.pendingReset(), snapshotToRestore,
        List.copyOf(snapshotsToSend), List.copyOf(snapshotChunks), committedBytes);
    readStates.clear();
    droppedReads.clear();
    snapshotsToSend.clear();
    snapshotChunks.clear();
    snapshotToRestore = null;
    return ready;
  }

  /**
   * The runtime has acted on {@code ready}: written its hard state, log reset and entries, and
   * sent its messages, or holds back {@link Ready#messagesAfterPersist()} until the entries are
   * durable. Written entries count as durable only once {@link #persisted} says so.
   */
  public void advance(Ready ready) {
    if (!ready.entries().isEmpty() || ready.logReset() != null) {
      log.markWritten();
    }
    if (electedOncePersisted && role == Role.CANDIDATE && ready.hardState() != null
        && ready.hardState().term() == term) {
      electedOncePersisted = false;
      becomeLeader();
    }
  }

  /**
   * A log sync finished that covered every entry written up to {@code (index, term)}: the log is
   * durable through there, unless that entry has been replaced since (then this says nothing).
   * A runtime that syncs in line calls it right after {@link #advance} with the ready's last
   * entry; a pipelined one when its sync returns. Never call it for a sync that started before a
   * log reset the runtime wrote after it: the runtime waits for its syncs before a reset.
   */
  public void persisted(long index, long term) {
    long before = log.durableLastIndex();
    log.persisted(index, term);
    if (role == Role.LEADER && log.durableLastIndex() > before) {
      maybeCommit(); // the leader's own durable index counts like any follower's
      changeMembershipByItself();
    }
  }

  /** The last log index durable on this node (what {@link #persisted} has confirmed). */
  public long durableIndex() {
    return log.durableLastIndex();
  }

  // ---------------------------------------------------------------- state, for the runtime

  /** This node. */
  public NodeId self() {
    return self;
  }

  /** The current role. */
  public Role role() {
    return role;
  }

  /** The current term. */
  public long term() {
    return term;
  }

  /** The leader known in the current term, or {@code null}. */
  public NodeId leader() {
    return leader;
  }

  /** The highest index known to be committed. */
  public long commitIndex() {
    return commitIndex;
  }

  /** The index of the last entry in the log, persisted or not. */
  public long lastLogIndex() {
    return log.lastIndex();
  }

  /** The newest durable snapshot (index 0 if none). */
  public LogPosition snapshot() {
    return snapshot;
  }

  /** On a leader, each other member's match index (for status reports); else empty. */
  public Map<NodeId, Long> matchIndexes() {
    if (role != Role.LEADER) {
      return Map.of();
    }
    Map<NodeId, Long> matches = new LinkedHashMap<>();
    for (Map.Entry<NodeId, Progress> e : progress.entries()) {
      matches.put(e.getKey(), e.getValue().matchIndex);
    }
    return matches;
  }

  /** The membership in effect: the newest in this node's log, committed or not. */
  public Membership membership() {
    return membership;
  }

  /** Whether the membership in effect is committed (as far as this node knows). */
  public boolean membershipCommitted() {
    return memberships.currentIndex() <= commitIndex;
  }

  /** How many campaigns (pre-vote or vote) this node started since it started. */
  public long electionsStarted() {
    return electionsStarted;
  }

  /** How many times this node became leader since it started. */
  public long leaderships() {
    return leaderships;
  }

  /** How many inbound messages were dropped as invalid since this node started. */
  public long invalidMessages() {
    return invalidMessages;
  }

  /** The last message dropped as invalid and why, or {@code null}. */
  public String lastInvalidMessage() {
    return lastInvalidMessage;
  }

  // ---------------------------------------------------------------- terms and roles

  /**
   * Decides what a message from a higher term does to this node; returns whether to go on
   * handling it.
   */
  private boolean acceptHigherTerm(RaftMessage m) {
    if (m instanceof RequestVote rv) {
      if (config.checkQuorum() && !rv.leadershipTransfer()
          && (leaderHeardRecently() || inStartQuietPeriod())) {
        return false; // a healthy leader may exist: do not let a disruptive node depose it (§9.6)
      }
      if (rv.preVote()) {
        return true; // a pre-vote changes nothing here
      }
      becomeFollower(m.term(), null);
      return true;
    }
    if (m instanceof RequestVoteResponse r && r.preVote() && r.granted()) {
      return true; // carries the term we would campaign in, not a newer term
    }
    boolean fromLeader = m instanceof AppendEntries || m instanceof TimeoutNow
        || m instanceof InstallSnapshot;
    becomeFollower(m.term(), fromLeader ? m.from() : null);
    return true;
  }

  /**
   * Whether this node may have promised a leader not to help another one for an election
   * timeout: it heard from one recently, or it just started (and may have answered one before
   * it went down). That leader may be serving lease reads on the promise; an only voter, which
   * needs no vote but its own, must keep it too before it campaigns (else a node that a change
   * made the only voter could lead while the old leader, not knowing, still serves reads). A
   * group founded with this node alone and never changed has had no other leader to promise
   * anything to, so it elects itself at once.
   */
  private boolean promisedToStayQuiet() {
    return config.checkQuorum() && (leaderHeardRecently()
        || (inStartQuietPeriod() && !memberships.founding()));
  }

  private boolean leaderHeardRecently() {
    return leader != null && electionElapsed < electionTicks;
  }

  /**
   * A node that just started may have acknowledged a leader's heartbeat just before it went down,
   * and that leader may be counting on it to ignore candidates for an election timeout (its
   * lease). A fresh start knows no leader, so for one election timeout it assumes there is one.
   */
  private boolean inStartQuietPeriod() {
    return now < electionTicks && !startQuietSkipped;
  }

  /** Tells a sender from an older term about the newer one, so that it steps down. */
  private void answerStaleSender(RaftMessage m) {
    if (m instanceof ReadIndexRequest r) {
      send(r.from(), new ReadIndexResponse(groupId, self, term, r.requestId(), false, 0), false);
    } else if (m instanceof AppendEntries ae) {
      // Round 0: an answer to an old term's message confirms nothing about the current one.
      send(ae.from(), new AppendEntriesResponse(groupId, self, term, false, ae.prevLogIndex(), 0, 0,
          0), false);
    } else if (m instanceof RequestVote rv) {
      send(rv.from(), new RequestVoteResponse(groupId, self, term, false, rv.preVote()), false);
    } else if (m instanceof InstallSnapshot is) {
      send(is.from(), new InstallSnapshotResponse(groupId, self, term, is.snapshotIndex(), 0, false),
          false);
    }
  }

  private void becomeFollower(long newTerm, NodeId newLeader) {
    if (newTerm != term) {
      term = newTerm;
      votedFor = null;
      hardStateDirty = true;
    }
    if (role == Role.LEADER) {
      progress.clear();
      reads.dropAll(droppedReads);
      answerFollowerReads(); // refusals: the followers fail those reads, their clients retry
      transferTarget = null;
    }
    if (newTerm != term || !Objects.equals(leader, newLeader)) {
      forwardedReads.dropSent(droppedReads);
    }
    role = Role.FOLLOWER;
    leader = newLeader;
    votes.clear();
    electedOncePersisted = false;
    resetElectionTimer();
  }

  private void campaign(boolean preVote, boolean forTransfer) {
    electionsStarted++;
    VoteTally.Outcome outcome = votes.start(self, membership);
    forwardedReads.dropSent(droppedReads);
    leader = null;
    campaigningForTransfer = forTransfer;
    resetElectionTimer();
    long campaignTerm;
    if (preVote) {
      role = Role.PRE_CANDIDATE;
      campaignTerm = term + 1;
    } else {
      role = Role.CANDIDATE;
      term++;
      votedFor = self;
      hardStateDirty = true;
      campaignTerm = term;
    }
    if (outcome == VoteTally.Outcome.WON) {
      if (preVote) {
        campaign(false, forTransfer);
      } else {
        electedOncePersisted = true; // (the others' votes come only after it is durable)
      }
      return;
    }
    for (NodeId peer : membership.allVoters()) {
      if (!peer.equals(self)) {
        send(peer, new RequestVote(groupId, self, campaignTerm, log.lastIndex(), log.lastTerm(),
            preVote, forTransfer), !preVote);
      }
    }
  }

  private void becomeLeader() {
    leaderships++;
    role = Role.LEADER;
    leader = self;
    electionElapsed = 0;
    heartbeatElapsed = 0;
    transferTarget = null;
    lease.clear();
    leaseForfeited = false;
    long next = log.lastIndex() + 1;
    progress.start(membership, next, config.maxInflightAppends(), votes.granted());
    log.append(LogEntry.noOp(next, term));
  }

  private void resetElectionTimer() {
    electionElapsed = 0;
    randomizedElectionTimeout = electionTicks + random.nextInt(electionTicks);
  }

  // ---------------------------------------------------------------- membership

  /** Takes effect the membership entries of the log after the snapshot (at start-up). */
  private void readMembershipsFromLog() {
    long next = Math.max(log.firstIndex(), snapshot.index() + 1);
    long end = log.lastIndex() + 1;
    while (next < end) {
      List<LogEntry> batch = log.entries(next, end, config.maxAppendBytes());
      for (LogEntry e : batch) {
        if (e.kind() == EntryKind.MEMBERSHIP) {
          memberships.appended(e.index(), MembershipCodec.decode(e.payload()));
        }
      }
      next += batch.size();
    }
  }

  /** Brings the roles and the leader's progress in line with the membership in effect. */
  private void membershipChanged() {
    membership = memberships.current();
    if (role == Role.LEADER) {
      // New members are probed from the change itself, which they need anyway.
      progress.update(membership, log.lastIndex(), config.maxInflightAppends());
      if (transferTarget != null && !membership.isVoter(transferTarget)) {
        transferTarget = null;
      }
    } else if (role != Role.FOLLOWER && !mayCampaign()) {
      becomeFollower(term, null);
    }
  }

  /**
   * Whether this node may start elections: as a voter, or as a voter of the previous membership
   * while the one that removed it is not known to be committed. Until then the group may still
   * need it (thesis §4.2.2): the remaining voters may all lack the removal, and only this node
   * can bring it to them.
   */
  private boolean mayCampaign() {
    if (membership.isVoter(self)) {
      return true;
    }
    Membership previous = memberships.previous();
    return previous != null && previous.isVoter(self) && !membershipCommitted();
  }

  private boolean soleVoter() {
    return !membership.isJoint() && membership.voters().size() == 1
        && membership.voters().contains(self);
  }

  /**
   * The changes a leader makes by itself once the membership in effect is committed: it leaves a
   * joint change (§4.3), steps down if it is no longer a voter (§4.2.2), or promotes a learner
   * that has caught up (§4.2.1).
   */
  private void changeMembershipByItself() {
    boolean nothingToDo = !membership.isJoint() && membership.promotable().isEmpty()
        && membership.isVoter(self);
    if (nothingToDo || role != Role.LEADER || transferTarget != null
        || membershipChangeProblem() != null) {
      return; // (the first test is the common case: it runs after every message)
    }
    if (membership.isJoint()) {
      appendMembership(membership.leaveJoint());
    } else if (!membership.isVoter(self)) {
      becomeFollower(term, null);
    } else {
      for (NodeId learner : membership.promotable()) {
        Progress p = progress.get(learner);
        if (p != null && p.matchIndex + config.promotionLag() >= log.lastIndex()) {
          appendMembership(membership.withPromoted(learner));
          return;
        }
      }
    }
  }

  // ---------------------------------------------------------------- elections

  private void handleRequestVote(RequestVote rv) {
    boolean upToDate = log.isUpToDate(rv.lastLogIndex(), rv.lastLogTerm());
    if (rv.preVote()) {
      boolean grant = rv.term() > term && upToDate;
      send(rv.from(), new RequestVoteResponse(groupId, self, grant ? rv.term() : term, grant, true),
          false);
      return;
    }
    // rv.term() == term here. Never vote for a second candidate in a term that has a leader.
    boolean canVote = rv.from().equals(votedFor) || (votedFor == null && leader == null);
    boolean grant = canVote && upToDate;
    if (grant) {
      votedFor = rv.from();
      hardStateDirty = true;
      resetElectionTimer();
    }
    send(rv.from(), new RequestVoteResponse(groupId, self, term, grant, false), true);
  }

  private void handleVoteResponse(RequestVoteResponse r) {
    if (r.preVote()) {
      if (role != Role.PRE_CANDIDATE || (r.granted() && r.term() != term + 1)) {
        return;
      }
    } else if (role != Role.CANDIDATE) {
      return;
    }
    VoteTally.Outcome outcome = votes.record(r.from(), r.granted());
    if (outcome == VoteTally.Outcome.WON) {
      if (role == Role.PRE_CANDIDATE) {
        campaign(false, campaigningForTransfer);
      } else {
        becomeLeader();
      }
    } else if (outcome == VoteTally.Outcome.LOST) {
      becomeFollower(term, null);
    }
  }

  private void handleTimeoutNow(TimeoutNow t) {
    if (role == Role.FOLLOWER && t.from().equals(leader)) {
      campaign(false, true);
    }
  }

  // ---------------------------------------------------------------- follower: replication

  /** A chunk of the leader's snapshot: the runtime stores it and answers (see {@link Ready}). */
  private void handleInstallSnapshot(InstallSnapshot is) {
    acknowledgeLeader(is.from());
    snapshotChunks.add(is);
  }

  /** A message from the leader of the current term: follow it and restart the election timer. */
  private void acknowledgeLeader(NodeId from) {
    if (role != Role.FOLLOWER) {
      becomeFollower(term, from);
    }
    leader = from;
    electionElapsed = 0;
  }

  private void handleAppendEntries(AppendEntries ae) {
    acknowledgeLeader(ae.from());

    long prev = ae.prevLogIndex();
    List<LogEntry> entries = ae.entries();
    if (prev < commitIndex) {
      // Everything up to our commit index is committed, so it matches any leader's log.
      int skip = (int) Math.min(entries.size(), commitIndex - prev);
      entries = entries.subList(skip, entries.size());
      prev = commitIndex;
    } else if (log.termOrMissing(prev) != ae.prevLogTerm()) {
      rejectAppend(ae);
      return;
    }
    long lastNew = prev + entries.size();
    appendFromLeader(entries);
    commitIndex = Math.max(commitIndex, Math.min(ae.leaderCommit(), lastNew));
    send(ae.from(), new AppendEntriesResponse(groupId, self, term, true, lastNew, 0, 0,
        ae.round()), true);
  }

  private void rejectAppend(AppendEntries ae) {
    long prev = ae.prevLogIndex();
    long conflictTerm = 0;
    long conflictIndex = log.lastIndex() + 1;
    if (prev <= log.lastIndex()) {
      conflictTerm = log.term(prev);
      conflictIndex = log.firstIndexWithTermAtLeast(conflictTerm, commitIndex + 1, prev);
    }
    send(ae.from(), new AppendEntriesResponse(groupId, self, term, false, prev, conflictTerm,
        conflictIndex, ae.round()), true);
  }

  /** Appends the leader's entries, replacing our conflicting suffix if any (§3.5). */
  private void appendFromLeader(List<LogEntry> entries) {
    int i = 0;
    long last = log.lastIndex();
    while (i < entries.size() && entries.get(i).index() <= last) {
      LogEntry e = entries.get(i);
      if (log.term(e.index()) != e.term()) {
        if (e.index() <= commitIndex) {
          throw new IllegalStateException("leader " + leader + " conflicts with committed entry "
              + e.index() + " of " + self);
        }
        log.truncateFrom(e.index());
        if (memberships.truncatedFrom(e.index())) {
          membershipChanged();
        }
        break;
      }
      i++;
    }
    for (; i < entries.size(); i++) {
      LogEntry e = entries.get(i);
      log.append(e);
      if (e.kind() == EntryKind.MEMBERSHIP) {
        memberships.appended(e.index(), MembershipCodec.decode(e.payload()));
        membershipChanged();
      }
    }
  }

  // ---------------------------------------------------------------- leader

  private void tickLeader() {
    electionElapsed++;
    heartbeatElapsed++;
    if (transferTarget != null && ++transferElapsed >= electionTicks) {
      transferTarget = null; // the target did not take over in time: keep leading
    }
    if (electionElapsed >= electionTicks) {
      electionElapsed = 0;
      if (config.checkQuorum() && !progress.quorumRecentlyActive()) {
        becomeFollower(term, null); // cut off from the majority: stop claiming leadership
        return;
      }
      progress.resetRecentlyActive();
    }
    if (heartbeatElapsed >= heartbeatTicks) {
      heartbeatElapsed = 0;
      broadcastRound(true);
    }
  }

  /**
   * Starts a new message round to every follower: a heartbeat to those being replicated to, a
   * probe to those being probed (or whose window of messages seems lost).
   */
  private void broadcastRound(boolean forHeartbeat) {
    round++;
    lease.roundSent(round, clock.getAsLong());
    for (Map.Entry<NodeId, Progress> e : progress.entries()) {
      Progress p = e.getValue();
      if (forHeartbeat) {
        if (p.mode == Progress.Mode.REPLICATE && !p.inflights.isEmpty()
            && !p.progressedSinceHeartbeat) {
          p.probeFrom(p.matchIndex + 1); // nothing acknowledged for a whole interval: resend
        }
        p.progressedSinceHeartbeat = false;
        if (p.mode == Progress.Mode.PROBE) {
          p.probeSent = false;
          sendAppend(e.getKey(), p, true);
          continue;
        }
      }
      sendHeartbeat(e.getKey(), p);
    }
    confirmReads();
  }

  private void flushLeaderMessages() {
    if (reads.needsRound()) {
      broadcastRound(false);
      reads.roundSent(round);
      confirmReads();
    }
    long last = log.lastIndex();
    for (Map.Entry<NodeId, Progress> e : progress.entries()) {
      Progress p = e.getValue();
      // A follower learns a new commit index from the next AppendEntries or heartbeat: a
      // message of its own per commit would double the traffic when commands trickle in.
      while (p.nextIndex <= last && p.canSendEntries()) {
        sendAppend(e.getKey(), p, false);
      }
    }
  }

  private void sendAppend(NodeId peer, Progress p, boolean allowEmpty) {
    long prev = p.nextIndex - 1;
    long prevTerm = log.termOrMissing(prev);
    if (prevTerm < 0) {
      // The follower needs entries we compacted away: ship the snapshot that covers them.
      p.mode = Progress.Mode.SNAPSHOT;
      p.inflights.clear();
      snapshotsToSend.add(new SnapshotRequest(peer, snapshot.index(), snapshot.term()));
      return;
    }
    long last = log.lastIndex();
    if (p.nextIndex > last && !allowEmpty) {
      return;
    }
    List<LogEntry> entries = p.nextIndex <= last
        ? log.entries(p.nextIndex, last + 1, config.maxAppendBytes())
        : List.of();
    long lastSent = prev + entries.size();
    send(peer, new AppendEntries(groupId, self, term, prev, prevTerm, commitIndex, round, entries),
        false);
    p.sent(lastSent);
  }

  /**
   * An AppendEntries that the follower is sure to accept: it starts at its known match (or, when
   * that was compacted away, at the start of our log, which it may refuse; it still learns who
   * leads and answers the round).
   */
  private void sendHeartbeat(NodeId peer, Progress p) {
    long prev = Math.max(p.matchIndex, log.firstIndex() - 1);
    send(peer, new AppendEntries(groupId, self, term, prev, log.term(prev), commitIndex, round,
        List.of()), false);
  }

  private void sendTimeoutNow(NodeId peer) {
    leaseForfeited = true;
    send(peer, new TimeoutNow(groupId, self, term), false);
  }

  private void handleAppendResponse(AppendEntriesResponse r) {
    Progress p = role == Role.LEADER ? progress.get(r.from()) : null;
    if (p == null) {
      return;
    }
    p.recentlyActive = true;
    if (r.round() <= round) {
      // (a round we never sent in this leadership answers nothing: rounds restart with the node)
      p.ackedRound = Math.max(p.ackedRound, r.round());
    }
    if (r.success()) {
      if (p.acknowledge(r.matchIndex())) {
        maybeCommit();
      }
      if (p.mode == Progress.Mode.PROBE && r.matchIndex() >= p.nextIndex - 1) {
        p.mode = Progress.Mode.REPLICATE; // the probe found where our logs agree
        p.nextIndex = Math.max(p.nextIndex, r.matchIndex() + 1);
      }
      if (r.from().equals(transferTarget) && p.matchIndex == log.lastIndex()) {
        sendTimeoutNow(r.from());
      }
    } else if (r.matchIndex() > p.matchIndex && r.matchIndex() <= log.lastIndex()
        && p.mode != Progress.Mode.SNAPSHOT
        && (p.mode == Progress.Mode.REPLICATE || r.matchIndex() == p.nextIndex - 1)) {
      // (a refusal of anything but the outstanding probe, or of an index past our log, is stale)
      p.probeFrom(Math.min(nextIndexAfterRefusal(r), r.matchIndex()));
    }
    confirmReads();
  }

  private void handleInstallSnapshotResponse(InstallSnapshotResponse r) {
    Progress p = role == Role.LEADER ? progress.get(r.from()) : null;
    if (p == null) {
      return;
    }
    p.recentlyActive = true;
    if (r.done() && p.mode == Progress.Mode.SNAPSHOT) {
      p.probeFrom(r.snapshotIndex() + 1);
      if (p.acknowledge(r.snapshotIndex())) {
        maybeCommit();
      }
    }
  }

  /** Where to resume after a refusal, skipping a whole conflicting term at once. */
  private long nextIndexAfterRefusal(AppendEntriesResponse r) {
    if (r.conflictTerm() > 0) {
      long k = log.lastIndexWithTermAtMost(r.conflictTerm(), r.matchIndex());
      if (k >= log.firstIndex() && log.term(k) == r.conflictTerm()) {
        return k + 1;
      }
    }
    return r.conflictIndex();
  }

  /**
   * How far committed entries may be handed out: only what is durable here too, so that a state
   * machine (and a snapshot of it) never runs ahead of the log a restart would find.
   */
  private long handOutLimit() {
    return Math.min(commitIndex, log.durableLastIndex());
  }

  private void maybeCommit() {
    long candidate = progress.majorityMatch(log.durableLastIndex());
    // Only an entry of the current term is committed by counting replicas (§3.6.2, Figure 8).
    if (candidate > commitIndex && log.term(candidate) == term) {
      boolean firstInTerm = log.term(commitIndex) != term;
      commitIndex = candidate;
      if (firstInTerm) {
        reads.commitReached(commitIndex);
      }
    }
  }

  private void confirmReads() {
    reads.confirm(progress::quorumAnswered, readStates);
  }

  /**
   * Whether no other leader can exist now: a quorum answered a round sent less than
   * {@link RaftConfig#leaseDuration()} ago by the clock, and voters ignore candidates for an
   * election timeout after hearing from us (or after they start).
   */
  private boolean leaseHolds() {
    if (!config.checkQuorum() || leaseForfeited) {
      return false;
    }
    return lease.holds(clock.getAsLong(), leaseNanos, progress::quorumAnswered);
  }

  private void send(NodeId to, RaftMessage m, boolean afterPersist) {
    outbox.send(to, m, afterPersist);
  }
}
