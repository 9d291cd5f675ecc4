package io.raftdb.tcp;

import io.raftdb.NodeId;
import io.raftdb.testkit.FreePorts;
import io.raftdb.testkit.transport.TransportConformanceTest;
import io.raftdb.transport.Transport;
import io.raftdb.transport.TransportFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code "tcp"} transport passes the conformance suite, on free loopback ports. */
class TcpConformanceTest extends TransportConformanceTest {

  @Override
  protected Map<NodeId, String> newAddresses(List<NodeId> ids) throws Exception {
    Map<NodeId, String> addresses = new LinkedHashMap<>();
    for (NodeId id : ids) {
      addresses.put(id, FreePorts.loopbackAddress());
    }
    return addresses;
  }

  @Override
  protected Transport create(NodeId self, Map<NodeId, String> addresses) {
    return TransportFactory.named("tcp").create(self, addresses, Map.of());
  }
}
