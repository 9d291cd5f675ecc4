package io.raftdb.core.session;

import io.raftdb.CommandTooLargeException;
import io.raftdb.Membership;
import io.raftdb.MembershipChangeException;
import io.raftdb.NodeId;
import io.raftdb.NodeStatus;
import io.raftdb.NotLeaderException;
import io.raftdb.OverloadedException;
import io.raftdb.RaftConfig;
import io.raftdb.ReadConsistency;
import io.raftdb.message.ClientReply;
import io.raftdb.message.ClientRequest;
import io.raftdb.message.CodecException;
import io.raftdb.message.CommandBatch;
import io.raftdb.message.MembershipChange;
import io.raftdb.message.MembershipCodec;
import io.raftdb.message.NodeStatusCodec;
import io.raftdb.message.MessageCodec;
import io.raftdb.transport.Transport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the client protocol on one node: turns each {@link ClientRequest} into a proposal of a
 * {@link io.raftdb.message.EntryKind#SESSION} entry (stamped with this node's clock, which counts
 * only where this node leads) or a read, and answers with one {@link ClientReply} when it is done.
 * A node that does not lead answers commands with a redirect; reads it serves itself (a
 * linearizable one through the leader's read index).
 *
 * <p>Threading: {@link #handle} runs on the transport's thread and only enqueues work; replies
 * are sent from the node's threads as results arrive. Nothing here blocks.
 */
public final class ClientService {
  private static final Logger LOG = LoggerFactory.getLogger(ClientService.class);
  /** Room for a reply's own fields in a frame. */
  private static final int REPLY_OVERHEAD_BYTES = 1024;

  /** What the service needs of its node. */
  public interface Node {
    /** Proposes a {@link io.raftdb.message.EntryKind#SESSION} entry; the future of its outcome. */
    CompletableFuture<byte[]> proposeSessionEntry(byte[] entry);

    /**
     * Proposes {@link io.raftdb.message.EntryKind#SESSION} entries together, in order (one
     * hand-off to the node's event loop); the futures of their outcomes, in the same order.
     */
    List<CompletableFuture<byte[]>> proposeSessionEntries(List<byte[]> entries);

    /** As {@link io.raftdb.RaftNode#query}. */
    CompletableFuture<byte[]> query(byte[] query, ReadConsistency consistency);

    /** As {@link io.raftdb.RaftNode#status}. */
    NodeStatus status();

    /** As {@link io.raftdb.RaftNode#changeMembership(MembershipChange)}. */
    CompletableFuture<Membership> changeMembership(MembershipChange change);
  }

  private final NodeId self;
  private final long groupId;
  private final Node node;
  private final Transport transport;
  private final RaftConfig config;
  private final LongSupplier wallClockMillis;

  /**
   * @param wallClockMillis the clock stamped into session entries; the leaders' clocks are what
   *     session expiry is measured by
   */
  public ClientService(NodeId self, long groupId, Node node, Transport transport,
      RaftConfig config, LongSupplier wallClockMillis) {
    this.self = self;
    this.groupId = groupId;
    this.node = node;
    this.transport = transport;
    this.config = config;
    this.wallClockMillis = wallClockMillis;
  }

  /** The most framing a session entry adds to a client's command. */
  public static int maxFramingBytes() {
    return SessionEntry.MAX_HEADER_BYTES;
  }

  /** Takes one request; its reply is sent once the request is done. */
  public void handle(ClientRequest r) {
    if (r.groupId() != groupId) {
      return; // another group's: as for members' messages, not ours to answer
    }
    long now = Math.max(0, wallClockMillis.getAsLong());
    switch (r.op()) {
      case QUERY -> node.query(r.payload(), r.consistency())
          .whenComplete((answer, failure) -> answer(r, answer, failure));
      case REGISTER -> propose(r, SessionEntry.register(now, config.sessionTimeout().toMillis(),
          config.maxSessions()));
      case COMMAND -> {
        if (r.payload().length > config.maxCommandBytes()) {
          reject(r, new CommandTooLargeException(r.payload().length, config.maxCommandBytes())
              .getMessage());
          return;
        }
        propose(r, SessionEntry.command(now, r.sessionId(), r.sequence(), r.ackedBelow(),
            r.payload()));
      }
      case COMMANDS -> proposeBatch(r, now);
      case KEEP_ALIVE -> propose(r, SessionEntry.keepAlive(now, r.sessionId(), r.ackedBelow()));
      case CLOSE_SESSION -> propose(r, SessionEntry.close(now, r.sessionId()));
      case STATUS -> reply(r, ClientReply.ok(groupId, self, r.callId(),
          NodeStatusCodec.encode(node.status())));
      case MEMBERSHIP -> changeMembership(r);
      default -> throw new IllegalStateException("unknown op " + r.op());
    }
  }

  private void changeMembership(ClientRequest r) {
    MembershipChange change;
    try {
      change = MembershipChange.decode(r.payload());
    } catch (CodecException e) {
      reject(r, e.getMessage());
      return;
    }
    node.changeMembership(change).whenComplete((m, failure) -> {
      Throwable cause = unwrap(failure);
      if (cause instanceof MembershipChangeException e && e.isTransient()) {
        // Another change is under way, or this leader is new: the client tries again.
        reply(r, ClientReply.error(groupId, self, r.callId(), ClientReply.Status.UNAVAILABLE,
            e.getMessage()));
      } else if (cause instanceof MembershipChangeException e) {
        reject(r, e.getMessage());
      } else {
        answer(r, m == null ? null : MembershipCodec.encode(m), cause);
      }
    });
  }

  private void propose(ClientRequest r, SessionEntry entry) {
    node.proposeSessionEntry(entry.encode())
        .whenComplete((outcome, failure) -> {
          if (failure != null) {
            answer(r, null, failure);
          } else {
            reply(r, fromOutcome(r, outcome));
          }
        });
  }

  /**
   * Proposes a request's commands as one {@link SessionEntry.Op#COMMANDS} entry (one entry for
   * the log, the replicas and the apply thread instead of one per command; each command is still
   * applied once in its session) and answers with its outcomes. Commands that would make the
   * entry larger than {@link RaftConfig#maxCommandBytes()} go in further entries, proposed
   * together; a command too large on its own is refused alone. A batch refused as a whole
   * because this node does not lead gets the redirect a single command would.
   */
  private void proposeBatch(ClientRequest r, long now) {
    int count;
    try {
      count = CommandBatch.countCommands(r.payload());
      SessionEntry.checkNumbers(r.sequence(), count);
    } catch (CodecException | IllegalArgumentException e) {
      reject(r, e.getMessage());
      return;
    }
    BatchOutcomes outcomes = new BatchOutcomes(r, count);
    if (count > 1 && r.payload().length <= config.maxCommandBytes()) {
      // The usual case: the request as it stands is the entry, its commands never copied out.
      node.proposeSessionEntry(SessionEntry.commands(now, r.sessionId(), r.sequence(),
              r.ackedBelow(), r.payload()).encode())
          .whenComplete((outcome, failure) -> outcomes.settle(0, count, outcome, failure));
      return;
    }
    List<byte[]> commands = CommandBatch.decodeCommands(r.payload());
    List<byte[]> entries = new ArrayList<>();
    List<int[]> runs = new ArrayList<>(); // per entry: its first command and how many
    int from = 0;
    while (from < commands.size()) {
      if (commands.get(from).length > config.maxCommandBytes()) {
        outcomes.settle(from, 1, null, new CommandTooLargeException(commands.get(from).length,
            config.maxCommandBytes()));
        from++;
        continue;
      }
      int to = from + 1;
      long bytes = CommandBatch.HEADER_BYTES + CommandBatch.encodedSize(commands.get(from));
      while (to < commands.size()) {
        bytes += CommandBatch.encodedSize(commands.get(to));
        if (bytes > config.maxCommandBytes()) {
          break;
        }
        to++;
      }
      long sequence = r.sequence() + from;
      byte[] entry;
      if (to - from == 1) {
        entry = SessionEntry.command(now, r.sessionId(), sequence, r.ackedBelow(),
            commands.get(from)).encode();
      } else {
        entry = SessionEntry.commands(now, r.sessionId(), sequence, r.ackedBelow(),
            CommandBatch.encodeCommands(commands.subList(from, to))).encode();
      }
      entries.add(entry);
      runs.add(new int[] {from, to - from});
      from = to;
    }
    if (entries.isEmpty()) {
      return;
    }
    List<CompletableFuture<byte[]>> results = node.proposeSessionEntries(entries);
    for (int j = 0; j < results.size(); j++) {
      int[] run = runs.get(j);
      results.get(j).whenComplete((outcome, failure) ->
          outcomes.settle(run[0], run[1], outcome, failure));
    }
  }

  /** The outcomes of a batch as its entries settle, on whichever threads settle them. */
  private final class BatchOutcomes {
    private final ClientRequest request;
    private final CommandBatch.Outcome[] outcomes;
    /** Commands not yet settled; the thread that settles the last one answers. */
    private final AtomicInteger unsettled;
    private volatile NotLeaderException notLeader;

    BatchOutcomes(ClientRequest request, int size) {
      this.request = request;
      this.outcomes = new CommandBatch.Outcome[size];
      this.unsettled = new AtomicInteger(size);
    }

    /**
     * Settles {@code count} commands from {@code first}, which one entry carried: by the
     * entry's outcome (a {@link SessionEntry.Op#COMMANDS} entry's holds one per command), or by
     * its failure.
     */
    void settle(int first, int count, byte[] outcome, Throwable failure) {
      if (failure == null && count == outcomes.length && count > 1
          && SessionOutcome.status(outcome) == ClientReply.Status.OK) {
        // The whole request in one entry: its outcomes are the reply as they stand.
        reply(request, ClientReply.ok(groupId, self, request.callId(),
            SessionOutcome.body(outcome)));
        return;
      }
      List<CommandBatch.Outcome> settled;
      try {
        settled = failure == null ? outcomesOf(outcome, count)
            : Collections.nCopies(count, failed(failure));
      } catch (RuntimeException e) { // a callback that threw would leave the client unanswered
        settled = Collections.nCopies(count, failed(e));
      }
      for (int i = 0; i < count; i++) {
        outcomes[first + i] = settled.get(i);
      }
      if (unsettled.addAndGet(-count) == 0) {
        answer();
      }
    }

    private CommandBatch.Outcome failed(Throwable failure) {
      Throwable cause = unwrap(failure);
      if (cause instanceof NotLeaderException e) {
        notLeader = e;
      }
      ClientReply.Status status = statusOf(cause);
      return CommandBatch.Outcome.error(status, describe(cause, status));
    }

    private void answer() {
      NotLeaderException e = notLeader;
      boolean noneAccepted = e != null && Arrays.stream(outcomes)
          .allMatch(o -> o.status() == ClientReply.Status.NOT_LEADER);
      reply(request, noneAccepted
          ? ClientReply.notLeader(groupId, self, request.callId(), e.leaderHint().orElse(null))
          : ClientReply.ok(groupId, self, request.callId(),
              CommandBatch.encodeOutcomes(Arrays.asList(outcomes))));
    }
  }

  /**
   * The outcomes of {@code count} commands in one entry's outcome: its own for one command, the
   * carried ones for a {@link SessionEntry.Op#COMMANDS} entry, or its refusal for each.
   */
  private static List<CommandBatch.Outcome> outcomesOf(byte[] outcome, int count) {
    ClientReply.Status status = SessionOutcome.status(outcome);
    CommandBatch.Outcome whole = new CommandBatch.Outcome(status, SessionOutcome.body(outcome));
    if (count == 1) {
      return List.of(whole);
    }
    if (status != ClientReply.Status.OK) {
      return Collections.nCopies(count, whole);
    }
    List<CommandBatch.Outcome> each = CommandBatch.decodeOutcomes(whole.body());
    if (each.size() != count) {
      // Only a bug in the session layer gets here; say so rather than pass on wrong replies.
      throw new IllegalStateException("an entry of " + count + " commands has "
          + each.size() + " outcomes");
    }
    return each;
  }

  private ClientReply fromOutcome(ClientRequest r, byte[] outcome) {
    ClientReply.Status status = SessionOutcome.status(outcome);
    if (status != ClientReply.Status.OK) {
      return new ClientReply(groupId, self, r.callId(), status, null, 0,
          SessionOutcome.body(outcome));
    }
    return r.op() == ClientRequest.Op.REGISTER
        ? ClientReply.registered(groupId, self, r.callId(), SessionOutcome.sessionId(outcome))
        : ClientReply.ok(groupId, self, r.callId(), SessionOutcome.body(outcome));
  }

  private void answer(ClientRequest r, byte[] result, Throwable failure) {
    if (failure == null) {
      reply(r, ClientReply.ok(groupId, self, r.callId(), result));
      return;
    }
    Throwable cause = unwrap(failure);
    ClientReply.Status status = statusOf(cause);
    if (cause instanceof NotLeaderException e) {
      reply(r, ClientReply.notLeader(groupId, self, r.callId(), e.leaderHint().orElse(null)));
    } else {
      reply(r, ClientReply.error(groupId, self, r.callId(), status, describe(cause, status)));
    }
  }

  /** The explanation sent with {@code status}: an unexpected failure also names its class. */
  private static String describe(Throwable cause, ClientReply.Status status) {
    return status == ClientReply.Status.UNAVAILABLE
        ? cause.getClass().getSimpleName() + ": " + cause.getMessage()
        : String.valueOf(cause.getMessage());
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
  }

  /**
   * What a failure tells the client: not the leader; overloaded; a request that can never
   * succeed; or anything else (stopping, leadership lost with the command in flight, an outcome
   * this node cannot see), after which the client retries and its session keeps the command from
   * applying twice.
   */
  private static ClientReply.Status statusOf(Throwable cause) {
    if (cause instanceof NotLeaderException) {
      return ClientReply.Status.NOT_LEADER;
    } else if (cause instanceof OverloadedException) {
      return ClientReply.Status.OVERLOADED;
    } else if (cause instanceof CommandTooLargeException
        || cause instanceof IllegalArgumentException) {
      return ClientReply.Status.REJECTED;
    }
    return ClientReply.Status.UNAVAILABLE;
  }

  /** Answers that {@code r} can never succeed, and why. */
  private void reject(ClientRequest r, String why) {
    reply(r, ClientReply.error(groupId, self, r.callId(), ClientReply.Status.REJECTED, why));
  }

  private void reply(ClientRequest r, ClientReply reply) {
    if (reply.payload().length > MessageCodec.MAX_FRAME_BYTES - REPLY_OVERHEAD_BYTES) {
      reply = ClientReply.error(groupId, self, r.callId(), ClientReply.Status.REJECTED,
          "the reply of " + reply.payload().length + " bytes is larger than a message can carry");
    }
    try {
      transport.send(r.from(), reply);
    } catch (RuntimeException e) {
      LOG.debug("node {} could not answer {}: {}", self, r, e.toString());
    }
  }
}
