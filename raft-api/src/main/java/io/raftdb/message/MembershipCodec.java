package io.raftdb.message;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The bytes of a {@link Membership}: the payload of an {@link EntryKind#MEMBERSHIP} entry and the
 * membership in a snapshot's header. A version byte, then the voters, outgoing voters, learners
 * and promotable learners, each as a count and that many node ids, in order, then the addresses
 * as a count and that many pairs of node id and address (length and ASCII bytes).
 */
public final class MembershipCodec {
  /** The most members of each kind a membership may list. */
  public static final int MAX_MEMBERS = 1024;
  private static final int VERSION = 1;
  private static final String LABEL = "membership";

  private MembershipCodec() {}

  /** The membership as bytes. */
  public static byte[] encode(Membership m) {
    Objects.requireNonNull(m, "membership");
    List<Set<NodeId>> sets = List.of(m.voters(), m.outgoingVoters(), m.learners(), m.promotable());
    int size = 1;
    for (Set<NodeId> set : sets) {
      if (set.size() > MAX_MEMBERS) {
        throw new IllegalArgumentException(set.size() + " members, at most " + MAX_MEMBERS);
      }
      size += WireWriter.varLongSize(set.size());
      for (NodeId id : set) {
        size += WireWriter.nodeIdSize(id);
      }
    }
    size += WireWriter.varLongSize(m.addresses().size());
    for (Map.Entry<NodeId, String> a : m.addresses().entrySet()) {
      size += WireWriter.nodeIdSize(a.getKey()) + 2 + a.getValue().length() * 3;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) VERSION);
    for (Set<NodeId> set : sets) {
      WireWriter.putVarLong(out, set.size());
      set.forEach(id -> WireWriter.putNodeId(out, id));
    }
    WireWriter.putVarLong(out, m.addresses().size());
    m.addresses().forEach((id, address) -> {
      WireWriter.putNodeId(out, id);
      byte[] bytes = address.getBytes(StandardCharsets.UTF_8);
      WireWriter.putVarLong(out, bytes.length);
      out.put(bytes);
    });
    return Arrays.copyOf(out.array(), out.position());
  }

  /**
   * Decodes a membership.
   *
   * @throws CodecException if the bytes are not one well-formed, consistent membership
   */
  public static Membership decode(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(Objects.requireNonNull(bytes, "bytes"));
    WireReader in = new WireReader(buf, LABEL, 0, 0, bytes.length);
    int version = in.readUnsignedByte("version");
    if (version != VERSION) {
      throw in.error(0, "unknown version " + version);
    }
    List<Set<NodeId>> sets = new ArrayList<>(4);
    for (String field : List.of("voters", "outgoing voters", "learners", "promotable")) {
      int count = in.readCount(field + " count", 2);
      if (count > MAX_MEMBERS) {
        throw in.error(in.position(), count + " " + field + ", at most " + MAX_MEMBERS);
      }
      List<NodeId> ids = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        ids.add(in.readNodeId(field));
      }
      Set<NodeId> set = Set.copyOf(ids);
      if (set.size() != count) {
        throw in.error(in.position(), field + " " + ids + " name a node twice");
      }
      sets.add(set);
    }
    int count = in.readCount("address count", 3);
    Map<NodeId, String> addresses = new HashMap<>();
    for (int i = 0; i < count; i++) {
      NodeId id = in.readNodeId("addressed member");
      byte[] address = in.readBytes("address",
          in.readLength("address length", Membership.MAX_ADDRESS_LENGTH * 3));
      if (addresses.put(id, new String(address, StandardCharsets.UTF_8)) != null) {
        throw in.error(in.position(), "two addresses of " + id);
      }
    }
    if (in.remaining() != 0) {
      throw in.error(in.position(), in.remaining() + " bytes after the membership");
    }
    try {
      return new Membership(sets.get(0), sets.get(1), sets.get(2), sets.get(3), addresses);
    } catch (IllegalArgumentException e) {
      throw in.error(0, e.getMessage());
    }
  }
}
