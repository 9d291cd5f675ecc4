package io.raftdb.server;

import io.raftdb.NodeId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;

/**
 * A group's members and their TCP addresses, written {@code n1=host:port,n2=host:port,...}.
 *
 * @param addresses member ids to {@code host:port}, in the order given
 */
record PeerList(Map<NodeId, String> addresses) {
  /** The members of the local three-node cluster that {@code raftdb cluster} starts. */
  static final String LOCAL = "n1=127.0.0.1:7001,n2=127.0.0.1:7002,n3=127.0.0.1:7003";
  /** Its client ports: {@code raftdb cluster} puts each node's {@link #CLIENT_PORT_OFFSET} above. */
  static final String LOCAL_CLIENTS = "n1=127.0.0.1:7101,n2=127.0.0.1:7102,n3=127.0.0.1:7103";
  /** How far above its member port {@code raftdb cluster} puts each node's client port. */
  static final int CLIENT_PORT_OFFSET = 100;

  PeerList {
    addresses = Collections.unmodifiableMap(new LinkedHashMap<>(addresses));
  }

  static PeerList parse(String text) {
    Map<NodeId, String> addresses = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String entry = part.trim();
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new IllegalArgumentException("peer '" + entry + "' is not id=host:port");
      }
      String address = entry.substring(eq + 1);
      int colon = address.lastIndexOf(':');
      if (colon <= 0 || !address.substring(colon + 1).matches("\\d{1,5}")) {
        throw new IllegalArgumentException("peer '" + entry + "': '" + address
            + "' is not host:port");
      }
      NodeId id = NodeId.of(entry.substring(0, eq));
      if (addresses.put(id, address) != null) {
        throw new IllegalArgumentException("peer " + id + " is listed twice");
      }
    }
    return new PeerList(addresses);
  }

  /** The same nodes at their client ports ({@link #CLIENT_PORT_OFFSET} above). */
  PeerList clientPorts() {
    Map<NodeId, String> clients = new LinkedHashMap<>();
    addresses.forEach((id, a) -> {
      int colon = a.lastIndexOf(':');
      clients.put(id, a.substring(0, colon + 1)
          + (Integer.parseInt(a.substring(colon + 1)) + CLIENT_PORT_OFFSET));
    });
    return new PeerList(clients);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    addresses.forEach((id, a) -> sb.append(sb.length() == 0 ? "" : ",").append(id.value())
        .append('=').append(a));
    return sb.toString();
  }

  /** Lets picocli parse {@code --peers}. */
  static final class Converter implements ITypeConverter<PeerList> {
    @Override
    public PeerList convert(String value) {
      return parse(value);
    }
  }
}
