package io.raftdb.sim.conformance;

import io.raftdb.NodeId;
import io.raftdb.sim.SimTransportFactory;
import io.raftdb.testkit.transport.ReplicationOverTransportTest;
import java.util.List;
import java.util.Map;

/**
 * The replication scenarios over {@code "sim"}, by name only: the members' address is the name
 * of a process-wide network of the test's own.
 */
class SimReplicationTest extends ReplicationOverTransportTest {
  private final SimConformanceTest addresses = new SimConformanceTest();

  @Override
  protected String transportName() {
    return SimTransportFactory.NAME;
  }

  @Override
  protected Map<NodeId, String> newAddresses(List<NodeId> ids) {
    return addresses.newAddresses(ids);
  }
}
