package io.raftdb.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.Membership;
import io.raftdb.MembershipChangeException;
import io.raftdb.NodeId;
import io.raftdb.NotLeaderException;
import io.raftdb.RaftConfig;
import io.raftdb.message.ClientReply;
import io.raftdb.message.ClientRequest;
import io.raftdb.message.MembershipChange;
import io.raftdb.message.MembershipCodec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** How the client service answers membership changes: each outcome as the client needs it. */
class ClientServiceMembershipTest {
  private static final NodeId SELF = NodeId.of("n1");
  private static final NodeId CLIENT = NodeId.of("c1");
  private static final Membership AB = Membership.ofVoters(List.of(SELF, NodeId.of("n2")));
  private static final MembershipChange REMOVE_N2 =
      new MembershipChange(MembershipChange.Kind.REMOVE, NodeId.of("n2"), null);

  private final RecordingTransport transport = new RecordingTransport();
  private final List<ClientReply> replies = transport.replies;

  private ClientService service(Function<MembershipChange, CompletableFuture<Membership>> node) {
    return new ClientService(SELF, 0, new StubNode() {
      @Override
      public CompletableFuture<Membership> changeMembership(MembershipChange change) {
        return node.apply(change);
      }
    }, transport, RaftConfig.defaults(), System::currentTimeMillis);
  }

  private ClientReply ask(ClientService s, byte[] payload) {
    s.handle(ClientRequest.membership(0, CLIENT, 7, payload));
    assertEquals(1, replies.size());
    return replies.remove(0);
  }

  @Test
  void aDoneChangeAnswersTheMembership() {
    ClientReply r = ask(service(c -> CompletableFuture.completedFuture(c.applyTo(AB))),
        REMOVE_N2.encode());
    assertEquals(ClientReply.Status.OK, r.status());
    assertEquals(REMOVE_N2.applyTo(AB), MembershipCodec.decode(r.payload()));
  }

  @Test
  void passingRefusalsAreRetriedAndLastingOnesAreNot() {
    ClientReply busy = ask(service(c -> CompletableFuture.failedFuture(
        new MembershipChangeException("one change at a time", true))), REMOVE_N2.encode());
    assertEquals(ClientReply.Status.UNAVAILABLE, busy.status(), "the client tries again");
    ClientReply refused = ask(service(c -> CompletableFuture.failedFuture(
        new MembershipChangeException("cannot go there in one step", false))),
        REMOVE_N2.encode());
    assertEquals(ClientReply.Status.REJECTED, refused.status());
    ClientReply nonsense = ask(service(c -> CompletableFuture.failedFuture(
        new IllegalArgumentException("n9 is not a member"))), REMOVE_N2.encode());
    assertEquals(ClientReply.Status.REJECTED, nonsense.status());
    assertTrue(nonsense.explanation().contains("n9 is not a member"), nonsense.explanation());
    ClientReply follower = ask(service(c -> CompletableFuture.failedFuture(
        new NotLeaderException(SELF, NodeId.of("n2")))), REMOVE_N2.encode());
    assertEquals(ClientReply.Status.NOT_LEADER, follower.status());
    assertEquals(NodeId.of("n2"), follower.leaderHint());
  }

  @Test
  void malformedChangesAreRejectedWithoutReachingTheNode() {
    ClientReply r = ask(service(c -> {
      throw new AssertionError("must not be asked");
    }), new byte[] {1, 42});
    assertEquals(ClientReply.Status.REJECTED, r.status());
  }
}
