package io.raftdb.message;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What an operator asks of a group's leader through a client ({@link ClientRequest.Op#MEMBERSHIP}):
 * add a voter or a learner (with the address its transport listens on), promote a learner,
 * remove a member, or hand leadership to a voter. Bytes: a version, the kind, the node id, and
 * the address (length and UTF-8 bytes; empty for none).
 *
 * @param kind what to do
 * @param node the member it is done to
 * @param address with {@link Kind#ADD_VOTER} and {@link Kind#ADD_LEARNER}: where the other
 *     members reach the new one ({@code host:port}), or {@code null} if their transports know
 *     already; otherwise {@code null}
 */
public record MembershipChange(Kind kind, NodeId node, String address) {
  private static final int VERSION = 1;
  private static final Kind[] KINDS = Kind.values();

  /** The kinds of change. */
  public enum Kind {
    /** A learner that the leader promotes once it has caught up. */
    ADD_VOTER,
    /** A learner that stays one. */
    ADD_LEARNER,
    /** A learner made a voter now. */
    PROMOTE,
    /** A member, voter or learner, removed. */
    REMOVE,
    /** Leadership handed to a voter (thesis §3.10). */
    TRANSFER
  }

  /** Validates the fields. */
  public MembershipChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(node, "node");
    boolean adds = kind == Kind.ADD_VOTER || kind == Kind.ADD_LEARNER;
    if (address != null && (!adds || address.isEmpty()
        || address.length() > Membership.MAX_ADDRESS_LENGTH)) {
      throw new IllegalArgumentException(adds
          ? "an address must be 1.." + Membership.MAX_ADDRESS_LENGTH + " characters"
          : kind + " takes no address");
    }
  }

  /** The change as bytes. */
  public byte[] encode() {
    byte[] a = address == null ? new byte[0] : address.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(2 + WireWriter.nodeIdSize(node) + 2 + a.length);
    out.put((byte) VERSION).put((byte) kind.ordinal());
    WireWriter.putNodeId(out, node);
    WireWriter.putVarLong(out, a.length);
    out.put(a);
    return Arrays.copyOf(out.array(), out.position());
  }

  /**
   * Decodes a change.
   *
   * @throws CodecException if the bytes are not one well-formed change
   */
  public static MembershipChange decode(byte[] bytes) {
    WireReader in = new WireReader(ByteBuffer.wrap(Objects.requireNonNull(bytes, "bytes")),
        "membership change", 0, 0, bytes.length);
    int version = in.readUnsignedByte("version");
    if (version != VERSION) {
      throw in.error(0, "unknown version " + version);
    }
    int kind = in.readUnsignedByte("kind");
    if (kind >= KINDS.length) {
      throw in.error(1, "unknown kind " + kind);
    }
    NodeId node = in.readNodeId("node");
    byte[] address = in.readBytes("address",
        in.readLength("address length", Membership.MAX_ADDRESS_LENGTH * 3));
    if (in.remaining() != 0) {
      throw in.error(in.position(), in.remaining() + " bytes after the change");
    }
    try {
      return new MembershipChange(KINDS[kind], node,
          address.length == 0 ? null : new String(address, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw in.error(0, e.getMessage());
    }
  }

  /**
   * This change applied to {@code m} (not for {@link Kind#TRANSFER}, which changes none), or
   * {@code m} itself if it is done already, so that a change retried after a lost answer
   * succeeds instead of failing as a second change.
   *
   * @throws IllegalArgumentException if the change conflicts with {@code m} (adding a voter as
   *     a learner, removing the last voter, promoting a non-member, ...)
   */
  public Membership applyTo(Membership m) {
    boolean done = switch (kind) {
      case ADD_VOTER -> m.voters().contains(node) || m.promotable().contains(node);
      case ADD_LEARNER -> m.learners().contains(node) && !m.promotable().contains(node);
      case PROMOTE -> m.voters().contains(node) && !m.isJoint();
      case REMOVE -> !m.contains(node);
      case TRANSFER -> false;
    };
    if (done) {
      return m;
    }
    return switch (kind) {
      case ADD_VOTER -> m.withLearner(node, address, true);
      case ADD_LEARNER -> m.withLearner(node, address, false);
      case PROMOTE -> m.withPromoted(node);
      case REMOVE -> m.without(node);
      case TRANSFER -> throw new IllegalStateException("a transfer changes no membership");
    };
  }
}
