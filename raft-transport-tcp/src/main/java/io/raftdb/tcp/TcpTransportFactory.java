package io.raftdb.tcp;

import io.raftdb.NodeId;
import io.raftdb.transport.Transport;
import io.raftdb.transport.TransportFactory;
import java.util.Map;
import java.util.Objects;

/**
 * Makes {@link TcpTransport}s; found by {@link java.util.ServiceLoader} under the name
 * {@value #NAME}. Addresses are {@code host:port}; a client (an id without an address) only
 * connects. Options: see {@link TcpOptions}.
 */
public final class TcpTransportFactory implements TransportFactory {
  /** The name this factory is found by. */
  public static final String NAME = "tcp";

  /** Used by {@link java.util.ServiceLoader}. */
  public TcpTransportFactory() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * @throws IllegalArgumentException if an address is not {@code host:port} or an option is bad
   */
  @Override
  public Transport create(NodeId self, Map<NodeId, String> addresses, Map<String, ?> options) {
    Objects.requireNonNull(addresses, "addresses");
    return new TcpTransport(self, addresses, TcpOptions.from(Objects.requireNonNull(options,
        "options")));
  }
}
