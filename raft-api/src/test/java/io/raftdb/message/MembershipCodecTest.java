package io.raftdb.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipCodecTest {
  private static final NodeId A = NodeId.of("a");
  private static final NodeId B = NodeId.of("b");
  private static final NodeId C = NodeId.of("c");
  private static final NodeId D = NodeId.of("d");

  @Test
  void everyKindOfMembershipRoundTrips() {
    for (Membership m : List.of(Membership.NONE, Membership.ofVoters(List.of(A)),
        Membership.ofVoters(List.of(A, B, C)).withLearner(D, true),
        Membership.ofVoters(List.of(A, B, C)).withLearner(D, "127.0.0.1:7004", true),
        Membership.ofVoters(List.of(A, B)).withVoters(List.of(C, D)))) {
      assertEquals(m, MembershipCodec.decode(MembershipCodec.encode(m)), m.toString());
    }
  }

  @Test
  void malformedOrInconsistentBytesAreCodecErrors() {
    byte[] good = MembershipCodec.encode(Membership.ofVoters(List.of(A, B)).withLearner(C, false));
    for (int length = 0; length < good.length; length++) {
      byte[] cut = Arrays.copyOf(good, length);
      assertThrows(CodecException.class, () -> MembershipCodec.decode(cut), "length " + length);
    }
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertThrows(CodecException.class, () -> MembershipCodec.decode(longer));
    byte[] version = good.clone();
    version[0] = 2;
    assertThrows(CodecException.class, () -> MembershipCodec.decode(version));

    // a learner that is also a voter: well-formed, but no membership
    byte[] both = {1, 1, 1, 'a', 0, 1, 1, 'a', 0, 0};
    CodecException e = assertThrows(CodecException.class, () -> MembershipCodec.decode(both));
    assertTrue(e.getMessage().contains("both a voter and a learner"), e.getMessage());
    byte[] twice = {1, 2, 1, 'a', 1, 'a', 0, 0, 0, 0};
    byte[] strangerAddress = {1, 1, 1, 'a', 0, 0, 0, 1, 1, 'b', 1, 'x'};
    assertThrows(CodecException.class, () -> MembershipCodec.decode(twice));
    CodecException stranger = assertThrows(CodecException.class,
        () -> MembershipCodec.decode(strangerAddress));
    assertTrue(stranger.getMessage().contains("not a member"), stranger.getMessage());
  }

  @Test
  void theMostMembersEncodeAndOneMoreIsRefused() {
    List<NodeId> ids = new ArrayList<>();
    for (int i = 0; i <= MembershipCodec.MAX_MEMBERS; i++) {
      ids.add(NodeId.of("m" + i));
    }
    Membership max = Membership.ofVoters(ids.subList(0, MembershipCodec.MAX_MEMBERS));
    assertEquals(max, MembershipCodec.decode(MembershipCodec.encode(max)));
    assertThrows(IllegalArgumentException.class,
        () -> MembershipCodec.encode(Membership.ofVoters(ids)));
    assertEquals(Set.copyOf(ids.subList(0, MembershipCodec.MAX_MEMBERS)), max.voters());
  }
}
