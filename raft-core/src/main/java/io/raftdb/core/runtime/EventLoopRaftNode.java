package io.raftdb.core.runtime;

import io.raftdb.LogPosition;
import io.raftdb.CommandTooLargeException;
import io.raftdb.Membership;
import io.raftdb.MembershipChangeException;
import io.raftdb.NodeClosedException;
import io.raftdb.NodeId;
import io.raftdb.NodeListener;
import io.raftdb.NodeState;
import io.raftdb.NodeStatus;
import io.raftdb.OverloadedException;
import io.raftdb.Proposal;
import io.raftdb.RaftConfig;
import io.raftdb.RaftMetrics;
import io.raftdb.RaftNode;
import io.raftdb.ReadConsistency;
import io.raftdb.core.protocol.RaftProtocol;
import io.raftdb.core.session.ClientService;
import io.raftdb.core.session.SessionStateMachine;
import io.raftdb.message.ClientRequest;
import io.raftdb.message.EntryKind;
import io.raftdb.message.MembershipChange;
import io.raftdb.message.MembershipCodec;
import io.raftdb.message.RaftMessage;
import io.raftdb.spi.NodeSpec;
import io.raftdb.storage.HardState;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.transport.Transport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.jctools.queues.MpscChunkedArrayQueue;
import org.jctools.queues.SpscUnboundedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RaftNode} of {@code raft-core}: one event-loop thread ({@code raft-loop-<id>}) runs
 * the protocol and writes storage; one apply thread ({@code raft-apply-<id>}) runs the state
 * machine. Callers and the transport only enqueue work for the loop (a lock-free MPSC queue) and
 * get futures back, so no caller ever waits for the network or the disk. What callers may have
 * pending is bounded ({@link Admission}); past a bound they are refused at once.
 *
 * <p>A node stops when it is closed, or by itself when its storage or its state machine fails;
 * then every pending and later operation fails with {@link NodeClosedException} (carrying the
 * cause), its status says {@link NodeState#STOPPED} with the cause, its listeners hear of it and
 * {@link #terminated()} completes once its threads have ended.
 */
final class EventLoopRaftNode implements RaftNode {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoopRaftNode.class);
  /** Inputs that may wait for the loop; past this, proposals and reads fail at once. */
  static final int MAX_QUEUED_INPUTS = 1 << 20;
  private static final int INPUT_CHUNK = 1024;
  private static final int APPLY_CHUNK = 1024;
  /** How long {@link #close()} waits for each thread. */
  private static final long JOIN_BOUND_MILLIS = 10_000;

  private final NodeId id;
  private final RaftConfig config;
  private final Transport transport;
  private final NodeLifecycle lifecycle;
  private final NodeListeners listeners;
  private final Admission admission;
  private final RaftMetrics metrics;
  private final AtomicBoolean started = new AtomicBoolean();
  private final Mailbox inputs;
  private final EventLoop loop;
  private final Thread loopThread;
  /** {@code null} when the loop applies ({@link RaftConfig#applyOnEventLoop()}). */
  private final Thread applyThread;
  private final ClientService clients;
  private final AppliedMembership appliedMembership;
  private final SnapshotRequests snapshotRequests = new SnapshotRequests();

  private EventLoopRaftNode(NodeSpec spec, NodeStorage storage) {
    this.id = spec.id();
    this.config = spec.config();
    this.transport = spec.transport();
    SizeLimits.check(config, storage.log(), transport);
    this.listeners = new NodeListeners(id);
    this.lifecycle = new NodeLifecycle(id, this::onTerminated);
    this.admission = new Admission(id, config);
    this.metrics = spec.metrics() != null ? spec.metrics() : RaftMetrics.NONE;
    SavedSnapshotSlot savedSnapshots = new SavedSnapshotSlot();
    LogSyncer syncer = config.pipelinedPersistence() && storage.log().syncsConcurrently()
        ? new LogSyncer(id, storage.log()) : null;
    boolean applyOnLoop = config.applyOnEventLoop();
    // A saved snapshot or a returned sync waiting for the loop is work too: never slept through;
    // so is a snapshot asked for from another thread when the loop applies.
    this.inputs = new Mailbox(new MpscChunkedArrayQueue<>(INPUT_CHUNK, MAX_QUEUED_INPUTS),
        () -> lifecycle.isStopping() || savedSnapshots.isPending()
            || (syncer != null && syncer.hasNews())
            || (applyOnLoop && snapshotRequests.hasWaiting()));
    if (syncer != null) {
      syncer.wakes(inputs);
    }
    // A request for a snapshot from outside the apply thread is work too.
    Mailbox applyQueue = new Mailbox(new SpscUnboundedArrayQueue<>(APPLY_CHUNK),
        () -> lifecycle.isStopping() || snapshotRequests.hasWaiting());
    lifecycle.wakeOnStop(List.of(inputs, applyQueue));

    HardState hardState = storage.meta().load();
    SessionStateMachine stateMachine = new SessionStateMachine(spec.stateMachine());
    Optional<SnapshotInfo> restored = SnapshotStartup.restore(id, storage, stateMachine);
    LogPosition snapshot = restored.map(s -> new LogPosition(s.index(), s.term()))
        .orElse(new LogPosition(0, 0));
    // Empty members: a node joining a running group, which learns its membership from the leader.
    Membership initial = restored.map(SnapshotInfo::membership).orElseGet(() ->
        spec.members().isEmpty() ? Membership.NONE : Membership.ofVoters(spec.members()));
    this.appliedMembership = new AppliedMembership(initial);
    RaftProtocol protocol = new RaftProtocol(spec.groupId(), id, initial, spec.config(),
        storage.log(), hardState, snapshot, random(id, spec.config()), System::nanoTime);
    SnapshotTaker snapshotTaker = new SnapshotTaker(id, stateMachine, storage.snapshots(),
        appliedMembership, spec.config().snapshotThreshold(),
        spec.config().snapshotThresholdBytes(), snapshot.index(),
        saved -> {
          savedSnapshots.offer(saved);
          inputs.wake();
        });
    ApplyLoop applier = new ApplyLoop(id, stateMachine, applyQueue, lifecycle,
        storage.snapshots(), snapshotTaker, appliedMembership, savedSnapshots,
        snapshotRequests, snapshot,
        config.electionTimeout().multipliedBy(2), metrics);
    this.loop = new EventLoop(protocol, spec.groupId(), storage, transport, syncer, spec.config(),
        inputs, applyQueue, applier, lifecycle, listeners, metrics);
    this.loopThread = new Thread(loop, "raft-loop-" + id);
    // Daemons: a node its program forgot to close must not keep the JVM alive.
    loopThread.setDaemon(true);
    inputs.bind(loopThread);
    if (applyOnLoop) {
      this.applyThread = null;
      applyQueue.bind(loopThread);
      snapshotRequests.bind(loopThread, inputs);
    } else {
      this.applyThread = new Thread(applier, "raft-apply-" + id);
      applyThread.setDaemon(true);
      applyQueue.bind(applyThread);
      snapshotRequests.bind(applyThread, applyQueue);
    }
    this.clients = new ClientService(id, spec.groupId(), new ClientService.Node() {
      @Override
      public CompletableFuture<byte[]> proposeSessionEntry(byte[] entry) {
        return propose(PendingCommand.of(EntryKind.SESSION, entry, false),
            ClientService.maxFramingBytes()).result();
      }

      @Override
      public List<CompletableFuture<byte[]>> proposeSessionEntries(List<byte[]> entries) {
        return proposeGroup(entries);
      }

      @Override
      public CompletableFuture<byte[]> query(byte[] query, ReadConsistency consistency) {
        return EventLoopRaftNode.this.query(query, consistency);
      }

      @Override
      public NodeStatus status() {
        return EventLoopRaftNode.this.status();
      }

      @Override
      public CompletableFuture<Membership> changeMembership(MembershipChange change) {
        return EventLoopRaftNode.this.changeMembership(change);
      }
    }, transport, config, System::currentTimeMillis);
  }

  /**
   * Builds the node on opened storage; {@link #start()} starts its threads and transport.
   *
   * @throws RuntimeException if the protocol cannot start from the stored state, or the limits
   *     do not fit the storage and transport; the caller then still owns both
   */
  static EventLoopRaftNode create(NodeSpec spec, NodeStorage storage) {
    return new EventLoopRaftNode(spec, storage);
  }

  @Override
  public RaftNode start() {
    if (lifecycle.isStopping()) {
      throw new IllegalStateException("node " + id + " is closed");
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("node " + id + " is already started");
    }
    lifecycle.threadsStarting(threads().size());
    transport.start(this::onMessage);
    if (applyThread != null) {
      applyThread.start();
    }
    loopThread.start();
    LOG.info("node {} started with members {}", id, status().members());
    return this;
  }

  /** The election-timeout randomness: the configured seed, or one drawn from id and clock. */
  private static SplittableRandom random(NodeId id, RaftConfig config) {
    long seed = config.randomSeed() != 0 ? config.randomSeed()
        : id.hashCode() * 0x9E3779B97F4A7C15L ^ System.nanoTime();
    return new SplittableRandom(seed);
  }

  /**
   * The transport's handler: hands a member's message to the loop, a client's request to the
   * client service (which only enqueues work), and returns at once.
   */
  private void onMessage(RaftMessage message) {
    if (lifecycle.isStopping()) {
      return;
    }
    if (message instanceof ClientRequest r) {
      clients.handle(r);
    } else if (!message.isClientMessage()) {
      inputs.offer(message); // a full queue drops it, as a congested network would
    }
  }

  @Override
  public NodeId id() {
    return id;
  }

  @Override
  public Proposal propose(byte[] command) {
    Objects.requireNonNull(command, "command");
    return propose(PendingCommand.of(EntryKind.COMMAND, command, true), 0).proposal;
  }

  @Override
  public CompletableFuture<byte[]> submit(byte[] command) {
    Objects.requireNonNull(command, "command");
    return propose(PendingCommand.of(EntryKind.COMMAND, command, false), 0).result();
  }

  /**
   * Admits and enqueues {@code c}, whose command may exceed the command limit by
   * {@code framing}, or fails it; returns it.
   */
  private PendingCommand propose(PendingCommand c, int framing) {
    if (admit(c, framing)) {
      enqueue(c);
    }
    return c;
  }

  /**
   * Proposes session entries in one hand-off to the loop: those admitted go together, those
   * refused fail alone. The futures of their outcomes, in order.
   */
  private List<CompletableFuture<byte[]>> proposeGroup(List<byte[]> entries) {
    List<CompletableFuture<byte[]>> results = new ArrayList<>(entries.size());
    PendingCommand[] admitted = new PendingCommand[entries.size()];
    int count = 0;
    for (byte[] entry : entries) {
      PendingCommand c = PendingCommand.of(EntryKind.SESSION, entry, false);
      results.add(c.result());
      if (admit(c, ClientService.maxFramingBytes())) {
        admitted[count++] = c;
      }
    }
    if (count == 1) {
      enqueue(admitted[0]);
    } else if (count > 1) {
      enqueue(new ProposalGroup(count == admitted.length ? admitted
          : Arrays.copyOf(admitted, count)));
    }
    return results;
  }

  /**
   * Admits {@code c}, whose command may exceed the command limit by {@code framing}, or fails
   * it; whether it was admitted.
   */
  private boolean admit(PendingCommand c, int framing) {
    int size = c.command.length;
    if (size > config.maxCommandBytes() + framing) {
      metrics.refused();
      c.fail(new CommandTooLargeException(size - framing, config.maxCommandBytes()));
      return false;
    }
    OverloadedException refused = admission.admitProposal(size);
    if (refused != null) {
      metrics.refused();
      c.fail(refused);
      return false;
    }
    metrics.proposed(size);
    c.admittedBy(admission, size);
    return true;
  }

  @Override
  public CompletableFuture<byte[]> query(byte[] query, ReadConsistency consistency) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(consistency, "consistency");
    ReadRequest r = new ReadRequest(query, consistency);
    OverloadedException refused = admission.admitRead();
    if (refused != null) {
      metrics.refused();
      r.fail(refused);
      return r.future;
    }
    r.future.whenComplete((answer, failure) -> admission.releaseRead());
    enqueue(r);
    return r.future;
  }

  @Override
  public CompletableFuture<Void> transferLeadership(NodeId target) {
    Objects.requireNonNull(target, "target");
    TransferRequest t = new TransferRequest(target);
    enqueue(t);
    return t.future;
  }

  @Override
  public CompletableFuture<Membership> changeMembership(UnaryOperator<Membership> change) {
    PendingCommand c = new PendingCommand(change);
    enqueue(c);
    return c.result().thenApply(MembershipCodec::decode);
  }

  @Override
  public CompletableFuture<Membership> changeMembership(MembershipChange change) {
    Objects.requireNonNull(change, "change");
    return switch (change.kind()) {
      case ADD_VOTER -> addVoter(change.node(), change::applyTo);
      case TRANSFER -> transferLeadership(change.node()).thenApply(done -> status().membership());
      default -> changeMembership(change::applyTo);
    };
  }

  @Override
  public CompletableFuture<Membership> addVoter(NodeId node) {
    Objects.requireNonNull(node, "node");
    return addVoter(node, m -> m.withLearner(node, true));
  }

  /** Adds {@code node} as a promotable learner and completes once it is a voter. */
  private CompletableFuture<Membership> addVoter(NodeId node, UnaryOperator<Membership> add) {
    return changeMembership(add)
        .thenCompose(added -> appliedMembership.await(m -> m.voters().contains(node)
            || !m.learners().contains(node)))
        .thenApply(m -> {
          if (!m.voters().contains(node)) {
            throw new MembershipChangeException(node + " was removed before its promotion: " + m,
                false);
          }
          return m;
        });
  }

  @Override
  public CompletableFuture<Membership> changeVoters(Collection<NodeId> voters) {
    Set<NodeId> wanted = Set.copyOf(voters);
    return changeMembership(m -> m.withVoters(wanted))
        .thenCompose(entered -> appliedMembership.await(m -> !m.isJoint()))
        .thenApply(m -> {
          if (!m.voters().equals(wanted)) {
            throw new MembershipChangeException("the voters became " + m.voters() + ", not "
                + wanted, false);
          }
          return m;
        });
  }

  @Override
  public CompletableFuture<SnapshotInfo> takeSnapshot() {
    NodeClosedException closed = lifecycle.closedException();
    if (closed != null || !started.get()) {
      NodeFuture<SnapshotInfo> refused = new NodeFuture<>();
      refused.settleExceptionally(closed != null ? closed
          : new IllegalStateException("node " + id + " is not started: call start()"));
      return refused;
    }
    NodeFuture<SnapshotInfo> future = snapshotRequests.request();
    // Read again: if the apply thread already failed what was waiting and ended, fail it here.
    closed = lifecycle.closedException();
    if (closed != null) {
      future.settleExceptionally(closed);
    }
    return future;
  }

  /**
   * Hands a request to the loop, or fails it when the node is stopped or overloaded. The stop
   * flag is read again after the offer: if the loop already failed what was queued and ended,
   * the request fails here instead (failing a future twice is harmless).
   */
  private void enqueue(LoopRequest request) {
    NodeClosedException closed = lifecycle.closedException();
    if (closed != null) {
      request.fail(closed);
      return;
    }
    if (!started.get()) {
      request.fail(new IllegalStateException("node " + id + " is not started: call start()"));
      return;
    }
    if (!inputs.offer(request)) {
      request.fail(new OverloadedException("node " + id + " is overloaded: "
          + MAX_QUEUED_INPUTS + " inputs wait for its event loop"));
      return;
    }
    closed = lifecycle.closedException();
    if (closed != null) {
      request.fail(closed);
    }
  }

  @Override
  public NodeStatus status() {
    return loop.status();
  }

  @Override
  public void addListener(NodeListener listener, Executor executor) {
    listeners.add(listener, executor);
  }

  @Override
  public void addListener(NodeListener listener) {
    listeners.add(listener);
  }

  @Override
  public CompletableFuture<Void> terminated() {
    return lifecycle.terminated();
  }

  /** Runs once the node has stopped and its threads have ended. */
  private void onTerminated() {
    listeners.stopped(lifecycle.stopCause());
  }

  /**
   * Stops the node and waits (boundedly) for its threads to end. From one of the node's own
   * threads (say, in a future's callback) it only asks them to stop, since a thread cannot wait
   * for itself; they end right after.
   */
  @Override
  public void close() {
    if (lifecycle.stop(null)) {
      LOG.info("node {} closing", id);
    }
    if (started.compareAndSet(false, true)) {
      // Never started: no thread will release storage and transport, so do it here.
      loop.finishWithoutRunning();
      lifecycle.closedBeforeStart();
      return;
    }
    Thread current = Thread.currentThread();
    if (current == loopThread || current == applyThread) {
      return;
    }
    for (Thread thread : threads()) {
      join(thread);
    }
    if (loopThread.isAlive()) {
      // The loop is stuck (most likely in a storage call); at least stop the network traffic.
      LOG.warn("node {}: event loop did not stop within {} ms; closing its transport anyway",
          id, JOIN_BOUND_MILLIS);
      transport.close();
    }
  }

  private void join(Thread thread) {
    try {
      thread.join(JOIN_BOUND_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "EventLoopRaftNode[" + id + "]";
  }

  /** The loop thread and the apply thread, if there is one. */
  List<Thread> threads() {
    return applyThread == null ? List.of(loopThread) : List.of(loopThread, applyThread);
  }
}
