package io.raftdb.sim;

import io.raftdb.NodeId;
import io.raftdb.transport.Transport;
import io.raftdb.transport.TransportFactory;
import java.util.Map;
import java.util.Objects;

/**
 * Makes {@link SimTransport}s; found by {@link java.util.ServiceLoader} under the name
 * {@value #NAME}.
 *
 * <p>Which network a node joins:
 * <ul>
 *   <li>the {@link SimNetwork} given as option {@value #NETWORK_OPTION}, if present (tests that
 *       inject faults pass their own network this way);
 *   <li>otherwise the process-wide {@link SimNetwork#named(String) network named} by the
 *       addresses: for this transport a member's "address" is the name of the network, so every
 *       member of a group must be given the same address (for example {@code "cluster-a"}).
 * </ul>
 *
 * @see java.util.ServiceLoader
 */
public final class SimTransportFactory implements TransportFactory {

  /** The name this factory is found by. */
  public static final String NAME = "sim";

  /** Option key whose value is the {@link SimNetwork} to join. */
  public static final String NETWORK_OPTION = "sim.network";

  /** Used by {@link java.util.ServiceLoader}. */
  public SimTransportFactory() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * @throws IllegalArgumentException if option {@value #NETWORK_OPTION} is not a
   *     {@link SimNetwork}, or, without that option, if {@code self} has no address or the members'
   *     addresses (network names) differ
   */
  @Override
  public Transport create(NodeId self, Map<NodeId, String> addresses, Map<String, ?> options) {
    Objects.requireNonNull(self, "self");
    Objects.requireNonNull(addresses, "addresses");
    Objects.requireNonNull(options, "options");
    Object given = options.get(NETWORK_OPTION);
    if (given != null) {
      if (!(given instanceof SimNetwork network)) {
        throw new IllegalArgumentException("option " + NETWORK_OPTION
            + " must be a SimNetwork, got " + given.getClass().getName());
      }
      return network.transport(self);
    }
    return SimNetwork.named(networkName(self, addresses)).transport(self);
  }

  private static String networkName(NodeId self, Map<NodeId, String> addresses) {
    String name = addresses.get(self);
    if (name == null) {
      throw new IllegalArgumentException("no address for " + self + "; the sim transport needs"
          + " option " + NETWORK_OPTION + " or the network name as every member's address");
    }
    addresses.forEach((member, address) -> {
      if (!name.equals(address)) {
        throw new IllegalArgumentException("sim transport: every member's address names the"
            + " network, but " + self + " has '" + name + "' and " + member + " has '" + address
            + "'");
      }
    });
    return name;
  }
}
