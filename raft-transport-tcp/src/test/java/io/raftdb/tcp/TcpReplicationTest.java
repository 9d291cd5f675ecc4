package io.raftdb.tcp;

import io.raftdb.NodeId;
import io.raftdb.testkit.transport.ReplicationOverTransportTest;
import java.util.List;
import java.util.Map;

/** The replication scenarios over {@code "tcp"}, on free loopback ports. */
class TcpReplicationTest extends ReplicationOverTransportTest {
  private final TcpConformanceTest addresses = new TcpConformanceTest();

  @Override
  protected String transportName() {
    return TcpTransportFactory.NAME;
  }

  @Override
  protected Map<NodeId, String> newAddresses(List<NodeId> ids) throws Exception {
    return addresses.newAddresses(ids);
  }
}
