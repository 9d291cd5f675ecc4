package io.raftdb.message;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.NodeState;
import io.raftdb.NodeStatus;
import io.raftdb.Role;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The payload of a node's answer to a {@link ClientRequest.Op#STATUS} request: its
 * {@link NodeStatus} (without the stop cause, which no running node has).
 *
 * <pre>
 *   version 1, node id, role byte, term, optional leader id (empty = none), commit, applied,
 *   first and last log index, member count and ids, state byte, match count and (id, index) pairs
 * </pre>
 * Numbers are varints, ids as in every message. Decoding bounds every count by the bytes left
 * and accepts nothing after the last field.
 */
public final class NodeStatusCodec {
  private static final int VERSION = 2;
  private static final String LABEL = "node status";
  private static final Role[] ROLES = Role.values();
  private static final NodeState[] STATES = NodeState.values();

  private NodeStatusCodec() {}

  /** The status as bytes. */
  public static byte[] encode(NodeStatus s) {
    Objects.requireNonNull(s, "status");
    int size = 3 + WireWriter.nodeIdSize(s.id()) + 6 * 10
        + s.leader().map(WireWriter::nodeIdSize).orElse(1) + 10 + 10;
    byte[] membership = MembershipCodec.encode(s.membership());
    size += 5 + membership.length;
    for (NodeId m : s.matchIndexes().keySet()) {
      size += WireWriter.nodeIdSize(m) + 10;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) VERSION);
    WireWriter.putNodeId(out, s.id());
    out.put((byte) s.role().ordinal());
    WireWriter.putVarLong(out, s.term());
    if (s.leader().isPresent()) {
      WireWriter.putNodeId(out, s.leader().get());
    } else {
      WireWriter.putVarLong(out, 0);
    }
    WireWriter.putVarLong(out, s.commitIndex());
    WireWriter.putVarLong(out, s.appliedIndex());
    WireWriter.putVarLong(out, s.firstLogIndex());
    WireWriter.putVarLong(out, s.lastLogIndex());
    WireWriter.putVarLong(out, membership.length);
    out.put(membership);
    out.put((byte) s.state().ordinal());
    WireWriter.putVarLong(out, s.matchIndexes().size());
    s.matchIndexes().forEach((m, index) -> {
      WireWriter.putNodeId(out, m);
      WireWriter.putVarLong(out, index);
    });
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  /**
   * Decodes a status.
   *
   * @throws CodecException if the bytes are not one well-formed status
   */
  public static NodeStatus decode(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(Objects.requireNonNull(bytes, "bytes"));
    WireReader in = new WireReader(buf, LABEL, 0, 0, bytes.length);
    int version = in.readUnsignedByte("version");
    if (version != VERSION) {
      throw in.error(0, "unknown version " + version);
    }
    NodeId id = in.readNodeId("node id");
    Role role = ROLES[enumIndex(in, "role", ROLES.length)];
    long term = in.readNonNegativeVarLong("term");
    Optional<NodeId> leader = Optional.ofNullable(in.readOptionalNodeId("leader"));
    long commit = in.readNonNegativeVarLong("commit index");
    long applied = in.readNonNegativeVarLong("applied index");
    long first = in.readNonNegativeVarLong("first log index");
    long last = in.readNonNegativeVarLong("last log index");
    int membershipAt = in.position();
    byte[] membershipBytes = in.readBytes("membership",
        in.readLength("membership length", in.remaining()));
    Membership membership;
    try {
      membership = MembershipCodec.decode(membershipBytes);
    } catch (CodecException e) {
      throw in.error(membershipAt, e.getMessage());
    }
    NodeState state = STATES[enumIndex(in, "state", STATES.length)];
    int matchCount = in.readCount("match count", 3);
    Map<NodeId, Long> matches = new LinkedHashMap<>();
    for (int i = 0; i < matchCount; i++) {
      matches.put(in.readNodeId("member"), in.readNonNegativeVarLong("match index"));
    }
    if (in.remaining() != 0) {
      throw in.error(in.position(), in.remaining() + " bytes after the status");
    }
    return new NodeStatus(id, role, term, leader, commit, applied, first, last, membership, state,
        Optional.empty(), matches);
  }

  private static int enumIndex(WireReader in, String field, int count) {
    int at = in.position();
    int value = in.readUnsignedByte(field);
    if (value >= count) {
      throw in.error(at, field + " " + value + " is unknown");
    }
    return value;
  }
}
