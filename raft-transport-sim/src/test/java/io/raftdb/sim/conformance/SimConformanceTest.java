package io.raftdb.sim.conformance;

import io.raftdb.NodeId;
import io.raftdb.sim.SimNetwork;
import io.raftdb.sim.SimTransportFactory;
import io.raftdb.testkit.transport.TransportConformanceTest;
import io.raftdb.transport.Transport;
import io.raftdb.transport.TransportFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code "sim"} transport passes the conformance suite, each test on a network of its own
 * (reliable, the default): a member's address is the network's name.
 */
class SimConformanceTest extends TransportConformanceTest {
  private static final AtomicInteger NETWORKS = new AtomicInteger();

  @Override
  protected Map<NodeId, String> newAddresses(List<NodeId> ids) {
    String network = "conformance-" + NETWORKS.incrementAndGet();
    Map<NodeId, String> addresses = new LinkedHashMap<>();
    ids.forEach(id -> addresses.put(id, network));
    return addresses;
  }

  /** By network option, so that a client (no address of its own) joins the members' network. */
  @Override
  protected Transport create(NodeId self, Map<NodeId, String> addresses) {
    SimNetwork network = SimNetwork.named(addresses.values().iterator().next());
    return TransportFactory.named("sim").create(self, addresses,
        Map.of(SimTransportFactory.NETWORK_OPTION, network));
  }
}
