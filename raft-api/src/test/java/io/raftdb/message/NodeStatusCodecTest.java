package io.raftdb.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.NodeState;
import io.raftdb.NodeStatus;
import io.raftdb.Role;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A status survives the trip; every truncation, extra byte and unknown enum value is refused. */
class NodeStatusCodecTest {
  private static final NodeId N1 = NodeId.of("n1");
  private static final NodeId N2 = NodeId.of("n2");
  private static final NodeId N3 = NodeId.of("n3");

  private static NodeStatus leader() {
    Map<NodeId, Long> matches = new LinkedHashMap<>();
    matches.put(N2, 41L);
    matches.put(N3, 7L);
    return new NodeStatus(N1, Role.LEADER, 5, Optional.of(N1), 40, 39, 1, 42,
        Membership.ofVoters(List.of(N1, N2, N3)).withLearner(NodeId.of("n4"), true),
        NodeState.RUNNING, Optional.empty(), matches);
  }

  @Test
  void aStatusRoundTrips() {
    NodeStatus s = leader();
    assertEquals(s, NodeStatusCodec.decode(NodeStatusCodec.encode(s)));
    NodeStatus follower = new NodeStatus(N2, Role.FOLLOWER, 0, Optional.empty(), 0, 0, 1, 0,
        Membership.ofVoters(List.of(N1, N2, N3)), NodeState.STARTING, Optional.empty(), Map.of());
    assertEquals(follower, NodeStatusCodec.decode(NodeStatusCodec.encode(follower)));
  }

  @Test
  void everyTruncationAndTrailingBytesAreRefused() {
    byte[] bytes = NodeStatusCodec.encode(leader());
    for (int n = 0; n < bytes.length; n++) {
      byte[] cut = Arrays.copyOf(bytes, n);
      assertThrows(CodecException.class, () -> NodeStatusCodec.decode(cut), "length " + n);
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(CodecException.class, () -> NodeStatusCodec.decode(longer));
  }

  @Test
  void unknownVersionsAndRolesAreRefused() {
    byte[] bytes = NodeStatusCodec.encode(leader());
    byte[] version = bytes.clone();
    version[0] = 9;
    assertThrows(CodecException.class, () -> NodeStatusCodec.decode(version));
    byte[] role = bytes.clone();
    role[1 + 1 + 2] = 9; // after the version and the id "n1" (length 2)
    assertThrows(CodecException.class, () -> NodeStatusCodec.decode(role));
  }
}
