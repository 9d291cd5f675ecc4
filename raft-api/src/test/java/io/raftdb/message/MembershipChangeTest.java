package io.raftdb.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipChangeTest {
  private static final NodeId A = NodeId.of("a");
  private static final NodeId B = NodeId.of("b");
  private static final NodeId D = NodeId.of("d");
  private static final Membership AB = Membership.ofVoters(List.of(A, B));

  @Test
  void everyKindRoundTrips() {
    for (MembershipChange c : List.of(
        new MembershipChange(MembershipChange.Kind.ADD_VOTER, D, "127.0.0.1:7004"),
        new MembershipChange(MembershipChange.Kind.ADD_LEARNER, D, null),
        new MembershipChange(MembershipChange.Kind.PROMOTE, D, null),
        new MembershipChange(MembershipChange.Kind.REMOVE, A, null),
        new MembershipChange(MembershipChange.Kind.TRANSFER, B, null))) {
      assertEquals(c, MembershipChange.decode(c.encode()));
    }
  }

  @Test
  void malformedBytesAndFieldsAreRefused() {
    byte[] good = new MembershipChange(MembershipChange.Kind.ADD_VOTER, D, "h:1").encode();
    for (int length = 0; length < good.length; length++) {
      byte[] cut = Arrays.copyOf(good, length);
      assertThrows(CodecException.class, () -> MembershipChange.decode(cut));
    }
    byte[] kind = good.clone();
    kind[1] = 9;
    assertThrows(CodecException.class, () -> MembershipChange.decode(kind));
    byte[] removeWithAddress = good.clone();
    removeWithAddress[1] = (byte) MembershipChange.Kind.REMOVE.ordinal();
    assertThrows(CodecException.class, () -> MembershipChange.decode(removeWithAddress));
    assertThrows(IllegalArgumentException.class,
        () -> new MembershipChange(MembershipChange.Kind.TRANSFER, A, "h:1"));
  }

  @Test
  void aChangeDoneAlreadyLeavesTheMembershipAsItIs() {
    Membership withD = AB.withLearner(D, "h:4", true);
    MembershipChange add = new MembershipChange(MembershipChange.Kind.ADD_VOTER, D, "h:4");
    assertEquals(withD, add.applyTo(AB));
    assertSame(withD, add.applyTo(withD), "a retried add changes nothing");
    assertSame(AB, new MembershipChange(MembershipChange.Kind.REMOVE, D, null).applyTo(AB));
    assertThrows(IllegalArgumentException.class,
        () -> new MembershipChange(MembershipChange.Kind.ADD_LEARNER, A, null).applyTo(AB),
        "a voter cannot be added as a learner");
  }
}
