package io.raftdb.transport;

import io.raftdb.NodeId;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Makes {@link Transport}s of one kind. Implementations are listed in
 * {@code META-INF/services/io.raftdb.transport.TransportFactory} and found by {@link #name()}
 * through {@link ServiceLoader}, so that a node can be given a transport by name
 * ({@code "sim"}, {@code "tcp"}) without a compile-time dependency on it.
 */
public interface TransportFactory {

  /** The name this kind of transport is found by, such as {@code "tcp"}. */
  String name();

  /**
   * Creates the transport of one node.
   *
   * @param self the node that will use it
   * @param addresses where every member (including {@code self}) can be reached, in a form this
   *     kind of transport understands (for TCP {@code host:port})
   * @param options transport-specific settings; unknown keys are ignored
   */
  Transport create(NodeId self, Map<NodeId, String> addresses, Map<String, ?> options);

  /**
   * Finds the factory with the given name among those visible to {@link ServiceLoader}.
   *
   * @throws IllegalArgumentException if there is none, listing the names that exist
   */
  static TransportFactory named(String name) {
    StringBuilder known = new StringBuilder();
    for (TransportFactory f : ServiceLoader.load(TransportFactory.class)) {
      if (f.name().equals(name)) {
        return f;
      }
      known.append(known.length() == 0 ? "" : ", ").append(f.name());
    }
    throw new IllegalArgumentException("no transport named '" + name + "' on the class path"
        + " (found: " + (known.length() == 0 ? "none" : known) + ")");
  }
}
