package io.raftdb.tcp;

import java.net.InetSocketAddress;

/** Parses {@code host:port} (or {@code [v6]:port}) addresses with errors that name them. */
public final class HostPort {
  private HostPort() {}

  /**
   * The unresolved address {@code address} names.
   *
   * @param what the flag or option it came from, for the error message
   * @throws IllegalArgumentException naming {@code what} if it is not {@code host:port}
   */
  public static InetSocketAddress parse(String what, String address) {
    if (address == null) {
      throw new IllegalArgumentException(what + " has no address");
    }
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException(what + ": address '" + address
          + "' is not host:port");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + ": port of '" + address + "' is not a number");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + ": port " + port + " is outside 1..65535");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }
}
