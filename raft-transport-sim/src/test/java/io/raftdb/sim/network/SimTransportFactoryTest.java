package io.raftdb.sim.network;

import static io.raftdb.sim.network.Messages.A;
import static io.raftdb.sim.network.Messages.B;
import static io.raftdb.sim.network.Messages.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.sim.SimNetwork;
import io.raftdb.sim.SimTransport;
import io.raftdb.sim.SimTransportFactory;
import io.raftdb.transport.Transport;
import io.raftdb.transport.TransportFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The factory is found by name and joins nodes to the network they are configured with. */
@Timeout(60)
class SimTransportFactoryTest {

  private final TransportFactory factory = TransportFactory.named("sim");

  @Test
  void serviceLoaderFindsTheFactoryByName() {
    assertInstanceOf(SimTransportFactory.class, factory);
    assertEquals("sim", factory.name());
  }

  @Test
  void theNetworkOptionChoosesTheNetwork() {
    try (SimNetwork network = new SimNetwork(11)) {
      Map<String, Object> options = Map.of(SimTransportFactory.NETWORK_OPTION, network);
      Transport a = factory.create(A, Map.of(), options);
      Transport b = factory.create(B, Map.of(), options);
      Inbox inboxB = new Inbox();
      a.start(new Inbox());
      b.start(inboxB);

      a.send(B, request(A, 1));

      assertEquals(1, inboxB.size());
      assertSame(network, ((SimTransport) a).network());
      assertEquals(1, network.rpcCount(B));
    }
  }

  @Test
  void membersWithTheSameAddressShareANamedNetwork() {
    Map<NodeId, String> addresses = Map.of(A, "factory-test", B, "factory-test");
    SimTransport a = (SimTransport) factory.create(A, addresses, Map.of());
    SimTransport b = (SimTransport) factory.create(B, addresses, Map.of());
    try {
      assertSame(a.network(), b.network());
      assertSame(SimNetwork.named("factory-test"), a.network());
      Inbox inboxB = new Inbox();
      a.start(new Inbox());
      b.start(inboxB);
      a.send(B, request(A, 1));
      assertEquals(1, inboxB.size());
    } finally {
      a.network().close();
    }
    assertNotSame(a.network(), SimNetwork.named("factory-test"),
        "a closed named network is replaced by a fresh one");
    SimNetwork.named("factory-test").close();
  }

  @Test
  void badConfigurationIsRejectedClearly() {
    IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
        () -> factory.create(A, Map.of(), Map.of(SimTransportFactory.NETWORK_OPTION, "x")));
    assertTrue(wrongType.getMessage().contains(SimTransportFactory.NETWORK_OPTION));

    IllegalArgumentException noAddress = assertThrows(IllegalArgumentException.class,
        () -> factory.create(A, Map.of(B, "net"), Map.of()));
    assertTrue(noAddress.getMessage().contains("no address for a"), noAddress.getMessage());

    IllegalArgumentException differing = assertThrows(IllegalArgumentException.class,
        () -> factory.create(A, Map.of(A, "net1", B, "net2"), Map.of()));
    assertTrue(differing.getMessage().contains("net2"), differing.getMessage());

    assertThrows(IllegalArgumentException.class, () -> SimNetwork.named(" "));
  }
}
