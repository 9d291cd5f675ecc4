package io.raftdb.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.NotLeaderException;
import io.raftdb.RaftConfig;
import io.raftdb.message.ClientReply;
import io.raftdb.message.ClientRequest;
import io.raftdb.message.CommandBatch;
import io.raftdb.message.EntryKind;
import io.raftdb.message.LogEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A batch of a session's commands ({@link ClientRequest.Op#COMMANDS}): the commands go in one
 * log entry (more if they pass maxCommandBytes), each is applied once in its session, and one
 * reply carries an outcome per command.
 */
class ClientServiceBatchTest {
  private static final NodeId SELF = NodeId.of("n1");
  private static final NodeId CLIENT = NodeId.of("c1");
  private static final RaftConfig CONFIG = RaftConfig.defaults().toBuilder()
      .maxCommandBytes(16).build();

  private final SessionStateMachineTest.Journal journal = new SessionStateMachineTest.Journal();
  private final SessionStateMachine machine = new SessionStateMachine(journal);
  private final RecordingTransport transport = new RecordingTransport();
  private final List<ClientReply> replies = transport.replies;
  private final List<byte[]> proposed = new ArrayList<>();
  private NotLeaderException notLeader;
  private long index;
  private long callId;
  private int groups;

  /** Appends and applies each proposal at once, as a leader alone would. */
  private final ClientService service = new ClientService(SELF, 0, new StubNode() {
    @Override
    public CompletableFuture<byte[]> proposeSessionEntry(byte[] entry) {
      proposed.add(entry);
      if (notLeader != null) {
        return CompletableFuture.failedFuture(notLeader);
      }
      LogEntry e = new LogEntry(++index, 1, EntryKind.SESSION, entry);
      return CompletableFuture.completedFuture(machine.applyEntries(List.of(e)).get(0));
    }

    @Override
    public List<CompletableFuture<byte[]>> proposeSessionEntries(List<byte[]> entries) {
      groups++;
      return entries.stream().map(this::proposeSessionEntry).toList();
    }
  }, transport, CONFIG, () -> 1_000);

  private ClientReply ask(ClientRequest request) {
    service.handle(request);
    assertEquals(1, replies.size(), "one reply per request");
    return replies.remove(0);
  }

  private long register() {
    ClientReply reply = ask(ClientRequest.register(0, CLIENT, ++callId));
    assertEquals(ClientReply.Status.OK, reply.status());
    return reply.sessionId();
  }

  private ClientRequest batch(long session, long first, String... commands) {
    List<byte[]> bytes = new ArrayList<>();
    for (String c : commands) {
      bytes.add(c.getBytes(StandardCharsets.UTF_8));
    }
    return ClientRequest.commands(0, CLIENT, ++callId, session, first, first,
        CommandBatch.encodeCommands(bytes));
  }

  private static int count(CommandBatch.Outcome o) {
    assertEquals(ClientReply.Status.OK, o.status(), o.toString());
    return ByteBuffer.wrap(o.body()).getInt();
  }

  @Test
  void theCommandsGoInOneEntryAndOneReplyAnswersAll() {
    long session = register();
    ClientReply reply = ask(batch(session, 1, "a", "b", "c"));
    assertEquals(ClientReply.Status.OK, reply.status());
    List<CommandBatch.Outcome> outcomes = CommandBatch.decodeOutcomes(reply.payload());
    assertEquals(List.of(1, 2, 3), outcomes.stream().map(ClientServiceBatchTest::count).toList());
    assertEquals(List.of("a", "b", "c"), journal.applied);
    assertEquals(2, proposed.size(), "a registration and one entry for the three");
  }

  /**
   * Commands that together pass maxCommandBytes (16 here) go in several entries, proposed
   * together; one too large to share an entry goes alone; all apply once, in order.
   */
  @Test
  void commandsPastTheEntryLimitGoInFurtherEntriesProposedTogether() {
    long session = register();
    ClientReply reply = ask(batch(session, 1, "a", "x".repeat(15), "bbbb", "cccc", "dddd"));
    List<CommandBatch.Outcome> outcomes = CommandBatch.decodeOutcomes(reply.payload());
    assertEquals(List.of(1, 2, 3, 4, 5),
        outcomes.stream().map(ClientServiceBatchTest::count).toList());
    assertEquals(List.of("a", "x".repeat(15), "bbbb", "cccc", "dddd"), journal.applied);
    assertEquals(1 + 4, proposed.size(), "a, the long one, bbbb+cccc, dddd");
    assertEquals(1, groups, "proposed together");
    for (byte[] entry : proposed) {
      assertTrue(entry.length <= CONFIG.maxCommandBytes() + ClientService.maxFramingBytes());
    }
  }

  @Test
  void aRetriedBatchIsAnsweredFromTheCacheAndAppliedOnce() {
    long session = register();
    ask(batch(session, 1, "a", "b"));
    ClientReply again = ask(batch(session, 1, "a", "b", "c")); // the retry, with one more
    List<CommandBatch.Outcome> outcomes = CommandBatch.decodeOutcomes(again.payload());
    assertEquals(List.of(1, 2, 3), outcomes.stream().map(ClientServiceBatchTest::count).toList());
    assertEquals(List.of("a", "b", "c"), journal.applied);
  }

  @Test
  void aBatchAtANodeThatDoesNotLeadIsRedirectedAsAWhole() {
    long session = register();
    notLeader = new NotLeaderException(SELF, NodeId.of("n2"));
    ClientReply reply = ask(batch(session, 1, "a", "b"));
    assertEquals(ClientReply.Status.NOT_LEADER, reply.status());
    assertEquals(NodeId.of("n2"), reply.leaderHint());
    assertTrue(journal.applied.isEmpty());
  }

  @Test
  void aTooLargeCommandIsRefusedAloneAndAMalformedBatchAsAWhole() {
    long session = register();
    ClientReply reply = ask(batch(session, 1, "a", "x".repeat(17), "c"));
    List<CommandBatch.Outcome> outcomes = CommandBatch.decodeOutcomes(reply.payload());
    assertEquals(ClientReply.Status.REJECTED, outcomes.get(1).status());
    assertEquals(1, count(outcomes.get(0)));
    assertEquals(2, count(outcomes.get(2)));
    assertEquals(List.of("a", "c"), journal.applied);

    ClientReply malformed = ask(ClientRequest.commands(0, CLIENT, ++callId, session, 4, 4,
        new byte[] {1, 5, 0}));
    assertEquals(ClientReply.Status.REJECTED, malformed.status());
    ClientReply overflowing = ask(batch(session, Long.MAX_VALUE, "y", "z"));
    assertEquals(ClientReply.Status.REJECTED, overflowing.status(), "numbers past Long.MAX_VALUE");
    assertEquals(List.of("a", "c"), journal.applied);
  }
}
