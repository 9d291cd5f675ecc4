package io.raftdb.server.resp;

import io.raftdb.kv.KvLimits;
import io.raftdb.tcp.TlsFiles;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node serves RESP.
 *
 * @param host the address to listen on
 * @param port the port, or 0 for any free one
 * @param password the password AUTH demands before any other command, or empty for none
 * @param tls mutual TLS with the cluster's PEM files, or empty for plain TCP
 * @param maxClients the most connections served at once; one more is told so and closed
 * @param storeLimits the store's key and value limits, checked before a command is sent
 * @param wireLimits the largest request the decoder takes
 */
public record RespOptions(String host, int port, Optional<String> password,
    Optional<TlsFiles> tls, int maxClients, KvLimits storeLimits, RespLimits wireLimits) {

  /** Redis's own default for {@code maxclients}. */
  public static final int DEFAULT_MAX_CLIENTS = 10_000;

  /** Checks the parts. */
  public RespOptions {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("RESP port must be in 0..65535, got " + port);
    }
    Objects.requireNonNull(password, "password");
    password.ifPresent(p -> {
      if (p.isEmpty()) {
        throw new IllegalArgumentException("a RESP password may not be empty");
      }
    });
    Objects.requireNonNull(tls, "tls");
    if (maxClients < 1) {
      throw new IllegalArgumentException("maxClients must be at least 1, got " + maxClients);
    }
    Objects.requireNonNull(storeLimits, "storeLimits");
    Objects.requireNonNull(wireLimits, "wireLimits");
  }

  /** Plain RESP on {@code host:port}, no password, default limits. */
  public static RespOptions of(String host, int port) {
    return new RespOptions(host, port, Optional.empty(), Optional.empty(), DEFAULT_MAX_CLIENTS,
        KvLimits.defaults(), RespLimits.defaults());
  }

  /** The same with AUTH demanding {@code password}. */
  public RespOptions withPassword(String password) {
    return new RespOptions(host, port, Optional.of(password), tls, maxClients, storeLimits,
        wireLimits);
  }

  /** The same over mutual TLS. */
  public RespOptions withTls(TlsFiles files) {
    return new RespOptions(host, port, password, Optional.of(files), maxClients, storeLimits,
        wireLimits);
  }

  Optional<byte[]> passwordBytes() {
    return password.map(p -> p.getBytes(StandardCharsets.UTF_8));
  }
}
