package io.raftdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipTest {
  private static final NodeId A = NodeId.of("a");
  private static final NodeId B = NodeId.of("b");
  private static final NodeId C = NodeId.of("c");
  private static final NodeId D = NodeId.of("d");
  private static final NodeId E = NodeId.of("e");
  private static final Membership ABC = Membership.ofVoters(List.of(A, B, C));

  @Test
  void aLearnerIsAddedPromotedAndRemoved() {
    Membership withD = ABC.withLearner(D, true);
    assertEquals(Set.of(D), withD.learners());
    assertEquals(Set.of(D), withD.promotable());
    assertFalse(withD.isVoter(D));
    assertTrue(withD.contains(D));
    assertTrue(ABC.canChangeTo(withD));

    Membership promoted = withD.withPromoted(D);
    assertEquals(Set.of(A, B, C, D), promoted.voters());
    assertTrue(promoted.learners().isEmpty() && promoted.promotable().isEmpty());
    assertTrue(withD.canChangeTo(promoted));

    Membership removed = promoted.without(A);
    assertEquals(Set.of(B, C, D), removed.voters());
    assertTrue(promoted.canChangeTo(removed));
  }

  @Test
  void replacingTwoVotersGoesThroughAJointChange() {
    Membership joint = ABC.withVoters(List.of(A, D, E));
    assertTrue(joint.isJoint());
    assertEquals(Set.of(A, D, E), joint.voters());
    assertEquals(Set.of(A, B, C), joint.outgoingVoters());
    assertTrue(joint.isVoter(B) && joint.isVoter(E));
    assertTrue(ABC.canChangeTo(joint));
    Membership left = joint.leaveJoint();
    assertEquals(Membership.ofVoters(List.of(A, D, E)), left);
    assertTrue(joint.canChangeTo(left));

    Membership oneStep = ABC.withVoters(List.of(A, B, C, D));
    assertFalse(oneStep.isJoint(), "one more voter needs no joint change");
  }

  @Test
  void stepsTooLargeOrNonsensicalAreRefused() {
    Membership twoMore = Membership.ofVoters(List.of(A, B, C, D, E));
    assertFalse(ABC.canChangeTo(twoMore));
    Membership joint = ABC.withVoters(List.of(C, D, E));
    assertFalse(joint.canChangeTo(ABC), "a joint change ends with its incoming voters");
    assertThrows(IllegalArgumentException.class, () -> joint.withLearner(D, false));
    assertThrows(IllegalArgumentException.class, () -> ABC.withLearner(A, false));
    assertThrows(IllegalArgumentException.class, () -> ABC.withPromoted(D));
    assertThrows(IllegalArgumentException.class, () -> ABC.without(D));
    assertThrows(IllegalArgumentException.class,
        () -> Membership.ofVoters(List.of(A)).without(A));
    assertThrows(IllegalArgumentException.class, () -> ABC.withVoters(List.of()));
    assertThrows(IllegalStateException.class, ABC::leaveJoint);
    assertThrows(IllegalArgumentException.class,
        () -> new Membership(Set.of(A), Set.of(), Set.of(A), Set.of()), "voter and learner");
    assertThrows(IllegalArgumentException.class,
        () -> new Membership(Set.of(A), Set.of(), Set.of(), Set.of(B)), "promotable non-learner");
    assertThrows(IllegalArgumentException.class,
        () -> new Membership(Set.of(), Set.of(), Set.of(B), Set.of()), "learners, no voter");
  }

  @Test
  void addressesFollowTheirMembers() {
    Membership m = ABC.withLearner(D, "h:4", true).withLearner(E, "h:5", false);
    assertEquals("h:4", m.addresses().get(D));
    Membership promoted = m.withPromoted(D);
    assertEquals("h:4", promoted.addresses().get(D));
    assertFalse(promoted.without(D).addresses().containsKey(D));
    Membership joint = promoted.withVoters(List.of(A, B, D, E));
    assertEquals(2, joint.addresses().size(), "joint: every member keeps its address");
    Membership left = promoted.withVoters(List.of(C, D)).leaveJoint();
    assertEquals(Set.of(D, E), left.addresses().keySet(),
        "voters that left take their addresses along; the learner keeps its own");
    assertThrows(IllegalArgumentException.class, () -> ABC.withLearner(D, "", false));
  }

  @Test
  void setsAreSortedSoThatEqualMembershipsPrintAndEncodeAlike() {
    Membership m = Membership.ofVoters(List.of(C, A, B));
    assertEquals(List.of(A, B, C), List.copyOf(m.voters()));
    assertEquals("voters [a, b, c]", m.toString());
    NodeId x = NodeId.of("x");
    Membership joint = new Membership(Set.of(E, D, A), Set.of(C, B, A), Set.of(x), Set.of(x));
    assertEquals("voters [a, d, e] joint with outgoing [a, b, c] learners [x] (to promote [x])",
        joint.toString());
    assertEquals(List.of(A, B, C, D, E, x), List.copyOf(joint.members()));
  }
}
