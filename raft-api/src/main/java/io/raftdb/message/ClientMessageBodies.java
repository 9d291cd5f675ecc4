package io.raftdb.message;

import io.raftdb.NodeId;
import io.raftdb.ReadConsistency;

/**
 * Reads the bodies of {@link ClientRequest} and {@link ClientReply} (layout in
 * {@link MessageBodies}). Every combination of fields that the records refuse is refused here as
 * a {@link CodecException} at the offset of the body, so that a client's malformed request fails
 * only its decoding.
 */
final class ClientMessageBodies {
  private ClientMessageBodies() {}

  static ClientRequest readRequest(long groupId, NodeId from, long term, WireReader in,
      ReadConsistency[] consistencies) {
    int bodyAt = in.position();
    requireNoTerm(term, in);
    long callId = in.readNonNegativeVarLong("callId");
    int opAt = in.position();
    ClientRequest.Op op = ClientRequest.Op.fromCode(in.readUnsignedByte("op"));
    if (op == null) {
      throw in.error(opAt, "unknown client operation");
    }
    long sessionId = in.readNonNegativeVarLong("sessionId");
    long sequence = in.readNonNegativeVarLong("sequence");
    long ackedBelow = in.readNonNegativeVarLong("ackedBelow");
    int consistencyAt = in.position();
    int consistencyCode = in.readUnsignedByte("consistency");
    if (consistencyCode >= consistencies.length) {
      throw in.error(consistencyAt, "unknown read consistency " + consistencyCode);
    }
    int length = in.readLength("payload length", MessageCodec.MAX_BODY_BYTES);
    byte[] payload = in.readBytes("payload", length);
    try {
      return new ClientRequest(groupId, from, callId, op, sessionId, sequence, ackedBelow,
          consistencies[consistencyCode], payload);
    } catch (IllegalArgumentException e) {
      throw in.error(bodyAt, "invalid client request: " + e.getMessage());
    }
  }

  static ClientReply readReply(long groupId, NodeId from, long term, WireReader in) {
    int bodyAt = in.position();
    requireNoTerm(term, in);
    long callId = in.readNonNegativeVarLong("callId");
    int statusAt = in.position();
    ClientReply.Status status = ClientReply.Status.fromCode(in.readUnsignedByte("status"));
    if (status == null) {
      throw in.error(statusAt, "unknown reply status");
    }
    NodeId leaderHint = in.readOptionalNodeId("leaderHint");
    long sessionId = in.readNonNegativeVarLong("sessionId");
    int length = in.readLength("payload length", MessageCodec.MAX_BODY_BYTES);
    byte[] payload = in.readBytes("payload", length);
    try {
      return new ClientReply(groupId, from, callId, status, leaderHint, sessionId, payload);
    } catch (IllegalArgumentException e) {
      throw in.error(bodyAt, "invalid client reply: " + e.getMessage());
    }
  }

  private static void requireNoTerm(long term, WireReader in) {
    if (term != 0) {
      throw in.error(in.position(), "a client message carries term 0, got " + term);
    }
  }
}
