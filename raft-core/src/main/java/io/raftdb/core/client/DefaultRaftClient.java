package io.raftdb.core.client;

import io.raftdb.ClientClosedException;
import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.NodeStatus;
import io.raftdb.OverloadedException;
import io.raftdb.RaftClient;
import io.raftdb.ReadConsistency;
import io.raftdb.RequestRejectedException;
import io.raftdb.RequestTimeoutException;
import io.raftdb.SessionExpiredException;
import io.raftdb.message.ClientReply;
import io.raftdb.message.ClientRequest;
import io.raftdb.message.CodecException;
import io.raftdb.message.CommandBatch;
import io.raftdb.message.MembershipChange;
import io.raftdb.message.MembershipCodec;
import io.raftdb.message.NodeStatusCodec;
import io.raftdb.message.RaftMessage;
import io.raftdb.spi.ClientSpec;
import io.raftdb.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RaftClient} of {@code raft-core}. All state sits behind one lock; what must happen
 * outside it (sending, completing callers' futures, whose callbacks run user code) is collected
 * while it is held and done right after. The client's one thread sweeps the calls every few
 * milliseconds for lost attempts, retries that are due and deadlines, sends keep-alives, and
 * sends commands queued under load (see Batching): a call costs a slot in a table and no timer
 * of its own, since scheduling and cancelling timers per call cost more than the rest of the
 * client together.
 *
 * <p>Sessions (thesis §6.3): the first command registers a session; commands are numbered from 1
 * in it, and every request tells the group the lowest number still waiting for its reply, so
 * that the group can forget older replies. A command keeps its number across retries, so the
 * group applies it once and answers a retry from its cache. When the session is found expired,
 * the commands outstanding in it fail (their outcome unknown) and the next command opens a new
 * session.
 *
 * <p>Batching: a command submitted while the client waits for no other goes at once, on the
 * caller's thread. One submitted while others are outstanding joins a queue, sent as one
 * {@link ClientRequest.Op#COMMANDS} request per run of consecutive numbers (one reply for all;
 * the leader proposes them in one hand-off) by whichever comes first:
 * <ul>
 *   <li>the caller's own thread, once the queue completes a refill: a caller that keeps a number
 *       of commands in flight submits as many again as replies answered, so once that many have
 *       come in, they go, with no thread hop (while a reply is still due; else as below);
 *   <li>a reply, on the thread that delivers it;
 *   <li>the client's own thread, woken once per burst (not per command) when the queue holds
 *       commands that no refill accounts for.
 * </ul>
 * So under load requests carry many commands without a command ever waiting for another's reply
 * or a timer, and an idle client pays no thread hop. The timer's sweeps send the queue only once
 * it has waited the shortest retry pause (as when the reply it waits for was lost), so as not to
 * cut a refill in two. At most {@link #MAX_COMMAND_REQUESTS_IN_FLIGHT} command
 * requests are in flight; beyond that commands wait for a reply. The leader proposes a request's
 * commands as one log entry (several if they pass {@code RaftConfig.maxCommandBytes}); each is
 * still numbered and answered on its own.
 */
final class DefaultRaftClient implements RaftClient {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultRaftClient.class);
  private static final byte[] EMPTY = new byte[0];
  private static final Runnable[] NO_ACTIONS = new Runnable[0];
  /** Command requests (of one command or several) in flight at once; see the class comment. */
  static final int MAX_COMMAND_REQUESTS_IN_FLIGHT = 16;
  /** The most command bytes in one request (a larger command still goes alone). */
  static final int MAX_BATCH_BYTES = 1 << 20;
  private static final Comparator<ClientCall> BY_SEQUENCE =
      Comparator.comparingLong((ClientCall c) -> c.sessionId).thenComparingLong(c -> c.sequence);

  private final ClientSpec spec;
  private final Transport transport;
  private final ScheduledThreadPoolExecutor timers;
  private final Object lock = new Object();

  // Guarded by lock.
  /** Every call not yet done, and the ids of their attempts in flight. */
  private final CallTable calls = new CallTable();
  private final NumberedCommands commands = new NumberedCommands();
  private final ArrayDeque<ClientCall> awaitingSession = new ArrayDeque<>();
  /** Numbered commands not yet sent: queued under load, or waiting for a free request slot. */
  private final ArrayList<ClientCall> unsentCommands = new ArrayList<>();
  /** When {@link #unsentCommands} last stopped being empty ({@link System#nanoTime}). */
  private long unsentSinceNanos;
  private final ArrayList<CommandRequest> commandRequests = new ArrayList<>();
  private final List<Runnable> afterUnlock = new ArrayList<>();
  private final SplittableRandom random;
  private ClientCall registration;
  private ClientCall keepAlive;
  private long sessionId;
  private long nextSequence = 1;
  private int outstanding;
  private NodeId leader;
  private int rotation;
  private boolean closed;
  /** Whether the client's thread is due to send the commands waiting in {@link #unsentCommands}. */
  private boolean commandSendScheduled;
  /**
   * How many times {@link #unsentCommands} was emptied by a send: a wake-up of the client's
   * thread asked for before then finds its commands gone, and must not take later ones, which
   * may be a refill still coming in.
   */
  private long queuesSent;
  /**
   * Commands that replies answered and that have not been made up for by new ones since: a
   * caller that keeps a number of commands in flight submits that many again, which then go as
   * one request, sent on the caller's thread (see Batching in the class comment).
   */
  private int expectedRefill;

  DefaultRaftClient(ClientSpec spec) {
    this.spec = spec;
    this.transport = spec.transport();
    this.random = new SplittableRandom(spec.id().hashCode() ^ System.nanoTime());
    this.rotation = random.nextInt(spec.members().size());
    this.timers = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "raft-client-" + spec.id());
      t.setDaemon(true);
      return t;
    });
    transport.start(this::onMessage);
    long keepAliveNanos = spec.keepAliveInterval().toNanos();
    timers.scheduleWithFixedDelay(this::keepAlive, keepAliveNanos, keepAliveNanos,
        TimeUnit.NANOSECONDS);
    long sweepNanos = sweepPeriodNanos(spec);
    timers.scheduleWithFixedDelay(this::sweep, sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public CompletableFuture<byte[]> submit(byte[] command) {
    Objects.requireNonNull(command, "command");
    return admit(ClientRequest.Op.COMMAND, command, null);
  }

  @Override
  public CompletableFuture<byte[]> query(byte[] query, ReadConsistency consistency) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(consistency, "consistency");
    return admit(ClientRequest.Op.QUERY, query, consistency);
  }

  @Override
  public Optional<NodeId> leader() {
    synchronized (lock) {
      return Optional.ofNullable(leader);
    }
  }

  @Override
  public long sessionId() {
    synchronized (lock) {
      return sessionId;
    }
  }

  @Override
  public CompletableFuture<NodeStatus> status(NodeId member) {
    if (!spec.members().contains(member)) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(member
          + " is not a member of " + spec.members()));
    }
    return admit(ClientRequest.Op.STATUS, EMPTY, null, member)
        .thenApply(NodeStatusCodec::decode);
  }

  @Override
  public CompletableFuture<Membership> changeMembership(MembershipChange change) {
    Objects.requireNonNull(change, "change");
    return admit(ClientRequest.Op.MEMBERSHIP, change.encode(), null)
        .thenApply(MembershipCodec::decode);
  }

  private CompletableFuture<byte[]> admit(ClientRequest.Op op, byte[] payload,
      ReadConsistency consistency) {
    return admit(op, payload, consistency, null);
  }

  private CompletableFuture<byte[]> admit(ClientRequest.Op op, byte[] payload,
      ReadConsistency consistency, NodeId fixedTarget) {
    CompletableFuture<byte[]> future = new CompletableFuture<>();
    Runnable[] actions = null;
    synchronized (lock) {
      if (closed) {
        future.completeExceptionally(new ClientClosedException("client " + spec.id()
            + " is closed"));
        return future;
      }
      if (outstanding >= spec.maxOutstanding()) {
        future.completeExceptionally(new OverloadedException("client " + spec.id() + " has "
            + outstanding + " calls outstanding, its limit"));
        return future;
      }
      outstanding++;
      ClientCall call = newCall(op, payload, consistency, future, spec.callTimeout().toNanos());
      call.fixedTarget = fixedTarget;
      if (op == ClientRequest.Op.COMMAND) {
        if (sessionId == 0) {
          awaitingSession.add(call);
          ensureRegistration();
        } else {
          number(call);
          send(call);
          actions = actionsAfterQueuingCommand(call);
        }
      } else {
        send(call);
      }
      if (actions == null) {
        actions = takeActions();
      }
    }
    run(actions);
    return future;
  }

  private ClientCall newCall(ClientRequest.Op op, byte[] payload, ReadConsistency consistency,
      CompletableFuture<byte[]> future, long timeoutNanos) {
    ClientCall call = new ClientCall(op, payload, consistency, future,
        System.nanoTime() + timeoutNanos);
    call.backoffNanos = spec.minBackoff().toNanos();
    calls.add(call);
    return call;
  }

  /** Gives a command its number in the current session. */
  private void number(ClientCall call) {
    call.sessionId = sessionId;
    call.sequence = nextSequence++;
    commands.add(call);
  }

  private void ensureRegistration() {
    if (registration == null) {
      registration = newCall(ClientRequest.Op.REGISTER, EMPTY, null, null,
          spec.callTimeout().toNanos());
      send(registration);
    }
  }

  /** Every reply below this has reached the client: the lowest number still outstanding. */
  private long ackedBelow() {
    return commands.isEmpty() ? nextSequence : commands.first().sequence;
  }

  /**
   * Sends a new attempt of {@code call} to the node most likely to serve it; a command joins the
   * commands that {@link #sendCommands} sends in requests of their own.
   */
  private void send(ClientCall call) {
    if (call.done || closed) {
      return;
    }
    if (call.op == ClientRequest.Op.COMMAND) {
      call.callId = 0;
      call.dueNanos = 0;
      if (unsentCommands.isEmpty()) {
        unsentSinceNanos = System.nanoTime();
      }
      unsentCommands.add(call);
      return;
    }
    long callId = calls.newAttemptId(call);
    call.callId = callId;
    call.target = call.fixedTarget != null ? call.fixedTarget : likelyLeader();
    ClientRequest request = switch (call.op) {
      case REGISTER -> ClientRequest.register(spec.groupId(), spec.id(), callId);
      case QUERY -> ClientRequest.query(spec.groupId(), spec.id(), callId, call.consistency,
          call.payload);
      case KEEP_ALIVE -> ClientRequest.keepAlive(spec.groupId(), spec.id(), callId,
          call.sessionId, ackedBelow());
      case CLOSE_SESSION -> ClientRequest.closeSession(spec.groupId(), spec.id(), callId,
          call.sessionId);
      case STATUS -> ClientRequest.status(spec.groupId(), spec.id(), callId);
      case MEMBERSHIP -> ClientRequest.membership(spec.groupId(), spec.id(), callId,
          call.payload);
      case COMMAND, COMMANDS ->
          throw new IllegalStateException("commands go in command requests");
    };
    call.dueNanos = System.nanoTime() + spec.attemptTimeout().toNanos();
    NodeId to = call.target;
    afterUnlock.add(() -> transport.send(to, request));
  }

  /** The leader if known, else the member whose turn it is. */
  private NodeId likelyLeader() {
    return leader != null ? leader
        : spec.members().get(Math.floorMod(rotation, spec.members().size()));
  }

  /**
   * Sends the commands waiting while fewer than {@link #MAX_COMMAND_REQUESTS_IN_FLIGHT} command
   * requests are in flight: each run of consecutive numbers (within the batch bounds) in one
   * request.
   */
  private void sendCommands() {
    if (unsentCommands.isEmpty() || closed
        || commandRequests.size() >= MAX_COMMAND_REQUESTS_IN_FLIGHT) {
      return;
    }
    unsentCommands.removeIf(c -> c.done);
    // Retries of older commands join newer ones; mostly in order already, which the sort checks
    // in one pass.
    unsentCommands.sort(BY_SEQUENCE);
    NodeId target = likelyLeader();
    int from = 0;
    while (from < unsentCommands.size()
        && commandRequests.size() < MAX_COMMAND_REQUESTS_IN_FLIGHT) {
      int to = from + 1;
      long bytes = unsentCommands.get(from).payload.length;
      while (to < unsentCommands.size() && to - from < CommandBatch.MAX_COMMANDS) {
        ClientCall next = unsentCommands.get(to);
        ClientCall previous = unsentCommands.get(to - 1);
        if (next.sessionId != previous.sessionId || next.sequence != previous.sequence + 1
            || bytes + next.payload.length > MAX_BATCH_BYTES) {
          break;
        }
        bytes += next.payload.length;
        to++;
      }
      sendCommandRequest(unsentCommands.subList(from, to), target);
      from = to;
    }
    unsentCommands.subList(0, from).clear();
    if (unsentCommands.isEmpty()) {
      queuesSent++;
      commandSendScheduled = false;
    }
  }

  /** One request for commands of the session numbered consecutively. */
  private void sendCommandRequest(List<ClientCall> run, NodeId target) {
    long id = calls.detachedAttemptId();
    ClientCall first = run.get(0);
    ClientCall[] carried = run.toArray(new ClientCall[0]);
    for (ClientCall c : carried) {
      c.callId = id;
    }
    commandRequests.add(new CommandRequest(id, target, carried,
        System.nanoTime() + spec.attemptTimeout().toNanos()));
    long acked = Math.min(ackedBelow(), first.sequence);
    ClientRequest request;
    if (carried.length == 1) {
      request = ClientRequest.command(spec.groupId(), spec.id(), id, first.sessionId,
          first.sequence, acked, first.payload);
    } else {
      List<byte[]> commands = new ArrayList<>(carried.length);
      for (ClientCall c : carried) {
        commands.add(c.payload);
      }
      request = ClientRequest.commands(spec.groupId(), spec.id(), id, first.sessionId,
          first.sequence, acked, CommandBatch.encodeCommands(commands));
    }
    afterUnlock.add(() -> transport.send(target, request));
  }

  /** Takes the command request that {@code reply} answers, or returns {@code null}. */
  private CommandRequest takeCommandRequest(ClientReply reply) {
    for (int i = 0; i < commandRequests.size(); i++) {
      CommandRequest r = commandRequests.get(i);
      if (r.id == reply.callId() && r.target.equals(reply.from())) {
        return commandRequests.remove(i);
      }
    }
    return null;
  }

  private void onMessage(RaftMessage message) {
    if (message instanceof ClientReply reply && reply.groupId() == spec.groupId()) {
      Runnable[] actions;
      synchronized (lock) {
        onReply(reply);
        actions = takeActions();
      }
      run(actions);
    }
  }

  private void onReply(ClientReply reply) {
    CommandRequest request = takeCommandRequest(reply);
    if (request != null) {
      onCommandsReply(request, reply);
      return;
    }
    ClientCall call = calls.byAttempt(reply.callId());
    if (call == null || call.done || !reply.from().equals(call.target)) {
      return; // a duplicate, or the answer to an attempt already given up on
    }
    call.callId = 0;
    call.dueNanos = 0;
    learnLeader(reply);
    answer(call, reply.status(), reply.payload(), reply);
  }

  /**
   * The reply to a command request: one answer for its one command, or for each of its commands
   * either the reply's status or, when the leader took them, each one's own outcome.
   */
  private void onCommandsReply(CommandRequest request, ClientReply reply) {
    learnLeader(reply);
    expectedRefill = Math.min(expectedRefill + request.calls.length, spec.maxOutstanding());
    List<CommandBatch.Outcome> outcomes = null;
    if (request.calls.length > 1 && reply.status() == ClientReply.Status.OK) {
      try {
        outcomes = CommandBatch.decodeOutcomes(reply.payload());
      } catch (CodecException e) {
        LOG.warn("client {}: {} sent a malformed reply: {}", spec.id(), reply.from(), e.toString());
      }
      if (outcomes == null || outcomes.size() != request.calls.length) {
        // Not an answer to this request: its commands are sent again, and applied once.
        for (ClientCall c : request.calls) {
          if (request.carries(c)) {
            c.callId = 0;
            retryLater(c);
          }
        }
        return;
      }
    }
    for (int i = 0; i < request.calls.length; i++) {
      ClientCall c = request.calls[i];
      if (!request.carries(c)) {
        continue; // ended, or sent again since
      }
      c.callId = 0;
      if (outcomes == null) {
        answer(c, reply.status(), reply.payload(), reply);
      } else {
        answer(c, outcomes.get(i).status(), outcomes.get(i).body(), reply);
      }
    }
  }

  /** What a reply tells of the leader, once per reply however many calls it answers. */
  private void learnLeader(ClientReply reply) {
    if (reply.status() == ClientReply.Status.NOT_LEADER) {
      NodeId hint = reply.leaderHint();
      leader = hint != null && spec.members().contains(hint) ? hint : null;
      if (leader == null) {
        rotation++;
      }
    } else if (reply.status() == ClientReply.Status.UNAVAILABLE) {
      forgetLeader(reply.from());
    }
  }

  /**
   * Answers {@code call} with {@code status} and {@code body} (a result, or an explanation),
   * which came in {@code reply} (its own, or its command request's).
   */
  private void answer(ClientCall call, ClientReply.Status status, byte[] body,
      ClientReply reply) {
    switch (status) {
      case OK -> succeeded(call, body, reply);
      case NOT_LEADER -> {
        if (reply.status() != ClientReply.Status.NOT_LEADER) {
          forgetLeader(reply.from()); // one command's outcome, naming no leader
        }
        if (leader != null && call.redirects++ < spec.members().size()) {
          send(call); // straight to the leader it named
        } else {
          retryLater(call);
        }
      }
      case OVERLOADED, UNAVAILABLE -> retryLater(call);
      case SESSION_EXPIRED -> sessionExpired(call, explanation(body));
      case REJECTED -> {
        RequestRejectedException rejected = new RequestRejectedException(explanation(body));
        if (call.op == ClientRequest.Op.REGISTER) {
          registrationFailed(rejected);
        } else {
          finish(call, null, rejected);
        }
      }
      default -> throw new IllegalStateException("unknown status " + status);
    }
  }

  private static String explanation(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  private void succeeded(ClientCall call, byte[] result, ClientReply reply) {
    switch (call.op) {
      case REGISTER -> {
        leader = reply.from();
        finish(call, null, null);
        registration = null;
        sessionId = reply.sessionId();
        nextSequence = 1;
        ClientCall waiting;
        while ((waiting = awaitingSession.poll()) != null) {
          number(waiting);
          send(waiting);
        }
      }
      case COMMAND, KEEP_ALIVE -> {
        leader = reply.from();
        finish(call, result, null);
      }
      default -> finish(call, result, null);
    }
  }

  /**
   * The group no longer knows the session: every command outstanding in it fails (each may have
   * been applied before the session ended), and the next command opens a new one.
   */
  private void sessionExpired(ClientCall call, String explanation) {
    if (call.sessionId != sessionId) {
      finish(call, null, new SessionExpiredException(explanation));
      return;
    }
    LOG.debug("client {}: session {} expired: {}", spec.id(), sessionId, explanation);
    sessionId = 0;
    for (ClientCall c : commands.toList()) {
      finish(c, null, new SessionExpiredException(explanation));
    }
    finish(call, null, new SessionExpiredException(explanation));
    if (!awaitingSession.isEmpty()) {
      ensureRegistration();
    }
  }

  private void registrationFailed(RuntimeException cause) {
    finish(registration, null, cause);
    registration = null;
    ClientCall waiting;
    while ((waiting = awaitingSession.poll()) != null) {
      finish(waiting, null, cause);
    }
  }

  /** Every few milliseconds: lost attempts, retries that are due, and deadlines. */
  private void sweep() {
    Runnable[] actions;
    synchronized (lock) {
      if (calls.isEmpty()) {
        return;
      }
      long now = System.nanoTime();
      boolean resent = false;
      for (int i = commandRequests.size() - 1; i >= 0; i--) {
        CommandRequest r = commandRequests.get(i);
        if (now - r.dueNanos >= 0) {
          // No answer: the node may be down or cut off, so the commands go elsewhere.
          commandRequests.remove(i);
          forgetLeader(r.target);
          rotation++;
          for (ClientCall c : r.calls) {
            if (r.carries(c)) {
              send(c);
              resent = true;
            }
          }
        }
      }
      for (ClientCall call : calls.toArray()) {
        if (now - call.deadlineNanos >= 0) {
          deadlinePassed(call);
        } else if (call.dueNanos != 0 && now - call.dueNanos >= 0) {
          if (call.callId != 0) {
            // No answer: the node may be down or cut off, so the next attempt goes elsewhere.
            call.callId = 0;
            forgetLeader(call.target);
            rotation++;
          }
          send(call);
          resent = true;
        }
      }
      // Queued commands wait for what they were left to (a refill, a reply, the client's thread),
      // so that a refill is not cut in two, but no longer than the shortest retry pause: a lost
      // request's reply would otherwise hold them until its attempt times out.
      boolean queueOverdue = !unsentCommands.isEmpty()
          && now - unsentSinceNanos >= spec.minBackoff().toNanos();
      actions = resent || queueOverdue ? takeActions() : takeCollectedActions();
    }
    run(actions);
  }

  private static long sweepPeriodNanos(ClientSpec spec) {
    long period = Math.min(spec.minBackoff().toNanos(), spec.attemptTimeout().toNanos() / 4);
    return Math.max(TimeUnit.MILLISECONDS.toNanos(1),
        Math.min(period, TimeUnit.MILLISECONDS.toNanos(50)));
  }

  private void forgetLeader(NodeId node) {
    if (Objects.equals(leader, node)) {
      leader = null;
    }
  }

  /** Sends {@code call} again after a pause drawn with jitter, growing up to the maximum. */
  private void retryLater(ClientCall call) {
    long max = spec.maxBackoff().toNanos();
    long pause = random.nextLong(call.backoffNanos, Math.max(call.backoffNanos + 1,
        Math.min(max, 2 * call.backoffNanos) + 1));
    call.backoffNanos = Math.min(max, 2 * call.backoffNanos);
    call.redirects = 0;
    call.dueNanos = System.nanoTime() + pause;
  }

  private void deadlinePassed(ClientCall call) {
    RequestTimeoutException timeout = new RequestTimeoutException(call + " of client "
        + spec.id() + " did not complete within " + spec.callTimeout()
        + (call.op == ClientRequest.Op.COMMAND ? "; whether it was applied is unknown" : ""));
    finish(call, null, timeout);
    if (call == registration) {
      registration = null;
      if (!awaitingSession.isEmpty()) {
        ensureRegistration(); // the commands waiting have deadlines of their own
      }
    }
  }

  /** Ends a call: no more attempts; the caller's future completes after the lock is released. */
  private void finish(ClientCall call, byte[] result, RuntimeException failure) {
    if (call.done) {
      return;
    }
    call.done = true;
    calls.remove(call); // a late reply to its last attempt then finds no call
    commands.remove(call);
    awaitingSession.remove(call);
    if (call == keepAlive) {
      keepAlive = null;
    }
    if (call.isUsers()) {
      outstanding--;
      afterUnlock.add(failure == null
          ? () -> call.future.complete(result)
          : () -> call.future.completeExceptionally(failure));
    }
  }

  /** Keeps an idle session alive; sessions with commands in flight stay alive by themselves. */
  private void keepAlive() {
    Runnable[] actions;
    synchronized (lock) {
      if (!closed && sessionId != 0 && commands.isEmpty() && keepAlive == null) {
        keepAlive = newCall(ClientRequest.Op.KEEP_ALIVE, EMPTY, null, null,
            spec.keepAliveInterval().toNanos());
        keepAlive.sessionId = sessionId;
        send(keepAlive);
      }
      actions = takeCollectedActions();
    }
    run(actions);
  }

  /**
   * What was collected to do once the lock is released, after adding the requests of the
   * commands that may go now; called holding it, just before release, so that the list is empty
   * whenever the lock is free and each thread does its own actions.
   */
  private Runnable[] takeActions() {
    sendCommands();
    return takeCollectedActions();
  }

  /**
   * What to do once {@code call}, a new command, has joined the queue (see Batching in the class
   * comment): send the queue now if the command is alone, or if it completes the refill that
   * recent replies lead the client to expect while another reply is still due; else leave the
   * queue to the reply or to the client's thread.
   */
  private Runnable[] actionsAfterQueuingCommand(ClientCall call) {
    boolean refilling = expectedRefill > 0;
    if (refilling) {
      expectedRefill--;
    }
    if (commands.first() == call) {
      return takeActions();
    }
    if (refilling && !commandRequests.isEmpty()) {
      return expectedRefill == 0 ? takeActions() : takeCollectedActions();
    }
    return takeActionsSendingCommandsLater();
  }

  /**
   * As {@link #takeActions}, but the waiting commands are left to the client's thread, so that
   * those submitted until it runs go with them (see the class comment).
   */
  private Runnable[] takeActionsSendingCommandsLater() {
    if (!commandSendScheduled && commandRequests.size() < MAX_COMMAND_REQUESTS_IN_FLIGHT) {
      commandSendScheduled = true;
      long queue = queuesSent;
      timers.execute(() -> sendWaitingCommands(queue));
    }
    return takeCollectedActions();
  }

  private void sendWaitingCommands(long queue) {
    Runnable[] actions;
    synchronized (lock) {
      if (queue != queuesSent) {
        return; // sent by a reply or a refill meanwhile
      }
      commandSendScheduled = false;
      actions = takeActions();
    }
    run(actions);
  }

  private Runnable[] takeCollectedActions() {
    if (afterUnlock.isEmpty()) {
      return NO_ACTIONS;
    }
    Runnable[] actions = afterUnlock.toArray(NO_ACTIONS);
    afterUnlock.clear();
    return actions;
  }

  private void run(Runnable[] actions) {
    for (Runnable action : actions) {
      try {
        action.run();
      } catch (RuntimeException e) {
        LOG.warn("client {}: {}", spec.id(), e.toString());
      }
    }
  }

  @Override
  public void close() {
    Runnable[] actions;
    synchronized (lock) {
      if (closed) {
        return;
      }
      ClientClosedException cause = new ClientClosedException("client " + spec.id()
          + " was closed");
      for (ClientCall c : calls.toArray()) {
        finish(c, null, cause);
      }
      if (sessionId != 0) {
        // Fire and forget: if it is lost, the session simply expires.
        ClientRequest end = ClientRequest.closeSession(spec.groupId(), spec.id(),
            calls.detachedAttemptId(), sessionId);
        NodeId to = leader != null ? leader : spec.members().get(0);
        afterUnlock.add(() -> transport.send(to, end));
      }
      closed = true;
      actions = takeActions();
    }
    run(actions);
    timers.shutdownNow();
    transport.close();
  }

  @Override
  public String toString() {
    return "RaftClient[" + spec.id() + "]";
  }
}
