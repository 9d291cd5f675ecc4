package io.raftdb.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.ReadConsistency;
import org.junit.jupiter.api.Test;

/** The client messages and the follower-read messages through the codec. */
class ClientMessageCodecTest {
  private static final NodeId CLIENT = NodeId.of("client-1");

  @Test
  void everyClientOperationRoundTrips() {
    byte[] command = {1, 2, 3};
    for (RaftMessage m : new RaftMessage[] {
        ClientRequest.register(7, CLIENT, 1),
        ClientRequest.command(7, CLIENT, 2, 42, 9, 5, command),
        ClientRequest.commands(7, CLIENT, 6, 42, 10, 9,
            CommandBatch.encodeCommands(java.util.List.of(command, new byte[0]))),
        ClientRequest.query(7, CLIENT, 3, ReadConsistency.LEASE, command),
        ClientRequest.keepAlive(7, CLIENT, 4, 42, 10),
        ClientRequest.closeSession(7, CLIENT, 5, 42),
        ClientReply.ok(7, NodeId.of("n1"), 2, command),
        ClientReply.registered(7, NodeId.of("n1"), 1, 42),
        ClientReply.notLeader(7, NodeId.of("n1"), 2, NodeId.of("n2")),
        ClientReply.notLeader(7, NodeId.of("n1"), 2, null),
        ClientReply.error(7, NodeId.of("n1"), 2, ClientReply.Status.SESSION_EXPIRED, "gone"),
        new ReadIndexRequest(7, NodeId.of("n2"), 3, 11, true),
        new ReadIndexResponse(7, NodeId.of("n1"), 3, 11, true, 99),
        new ReadIndexResponse(7, NodeId.of("n1"), 3, 11, false, 0)}) {
      assertEquals(m, MessageCodec.decode(MessageCodec.encode(m)), m.toString());
    }
  }

  @Test
  void recordsRefuseFieldsTheirOperationDoesNotTake() {
    assertThrows(IllegalArgumentException.class, () -> new ClientRequest(1, CLIENT, 1,
        ClientRequest.Op.COMMAND, 0, 1, 0, null, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new ClientRequest(1, CLIENT, 1,
        ClientRequest.Op.COMMAND, 5, 3, 4, null, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new ClientRequest(1, CLIENT, 1,
        ClientRequest.Op.QUERY, 0, 0, 0, null, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new ClientRequest(1, CLIENT, 1,
        ClientRequest.Op.COMMANDS, 5, 0, 0, null, new byte[] {1}), "a batch without a sequence");
    assertThrows(IllegalArgumentException.class, () -> new ClientRequest(1, CLIENT, 1,
        ClientRequest.Op.COMMANDS, 0, 1, 0, null, new byte[] {1}), "a batch without a session");
    assertThrows(IllegalArgumentException.class, () -> new ClientRequest(1, CLIENT, 1,
        ClientRequest.Op.REGISTER, 0, 0, 0, null, new byte[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> new ClientReply(1, CLIENT, 1, ClientReply.Status.OK, NodeId.of("n1"), 0,
            new byte[0]));
  }

  @Test
  void aDecodedRequestThatBreaksTheRulesIsACodecError() {
    // A command without a session: every field is well formed, the combination is not.
    byte[] body = RawBytes.start().commonFields(1, "client-1", 0).varint(1).bytes((byte) 2).varint(0)
        .varint(1).varint(0).bytes((byte) 0).varint(0).toBytes();
    CodecException e = assertThrows(CodecException.class,
        () -> MessageCodec.decode(RawBytes.frame(MessageBodies.TYPE_CLIENT_REQUEST, body)));
    assertTrue(e.getMessage().contains("COMMAND needs session"), e.getMessage());
  }

  @Test
  void aClientMessageWithATermIsRejected() {
    byte[] body = RawBytes.start().commonFields(1, "client-1", 5).varint(1).bytes((byte) 1).varint(0)
        .varint(0).varint(0).bytes((byte) 0).varint(0).toBytes();
    CodecException e = assertThrows(CodecException.class,
        () -> MessageCodec.decode(RawBytes.frame(MessageBodies.TYPE_CLIENT_REQUEST, body)));
    assertTrue(e.getMessage().contains("term 0"), e.getMessage());
  }

  @Test
  void unknownOperationsStatusesAndConsistenciesAreRejected() {
    byte[] badOp = RawBytes.start().commonFields(1, "client-1", 0).varint(1).bytes((byte) 9).varint(0)
        .varint(0).varint(0).bytes((byte) 0).varint(0).toBytes();
    assertTrue(assertThrows(CodecException.class, () -> MessageCodec.decode(
        RawBytes.frame(MessageBodies.TYPE_CLIENT_REQUEST, badOp))).getMessage()
        .contains("unknown client operation"));
    byte[] badConsistency = RawBytes.start().commonFields(1, "client-1", 0).varint(1).bytes((byte) 3)
        .varint(0).varint(0).varint(0).bytes((byte) 4).varint(0).toBytes();
    assertTrue(assertThrows(CodecException.class, () -> MessageCodec.decode(
        RawBytes.frame(MessageBodies.TYPE_CLIENT_REQUEST, badConsistency))).getMessage()
        .contains("unknown read consistency"));
    byte[] badStatus = RawBytes.start().commonFields(1, "n1", 0).varint(1).bytes((byte) 0).varint(0)
        .varint(0).varint(0).toBytes();
    assertTrue(assertThrows(CodecException.class, () -> MessageCodec.decode(
        RawBytes.frame(MessageBodies.TYPE_CLIENT_REPLY, badStatus))).getMessage()
        .contains("unknown reply status"));
  }
}
