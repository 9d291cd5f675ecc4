package io.raftdb.tcp;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;

/**
 * Netty TLS contexts for mutual authentication against the cluster's own CA, for this transport
 * and the node's other front ends.
 */
public final class Tls {
  private Tls() {}

  /** Accepting side: demands a client certificate signed by the cluster's CA. */
  public static SslContext server(TlsFiles files) {
    try {
      return SslContextBuilder.forServer(files.certificateChain().toFile(),
              files.privateKey().toFile())
          .trustManager(files.trustedAuthorities().toFile())
          .clientAuth(ClientAuth.REQUIRE)
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("TLS files " + files + " are not usable: "
          + e.getMessage(), e);
    }
  }

  /**
   * Connecting side: presents its certificate, trusts only the cluster's CA. A member is known
   * by its CA's signature, not by a host name (members move between hosts, and the same cluster
   * certificate may serve several), so host-name verification is off.
   */
  public static SslContext client(TlsFiles files) {
    try {
      return SslContextBuilder.forClient()
          .keyManager(files.certificateChain().toFile(), files.privateKey().toFile())
          .trustManager(files.trustedAuthorities().toFile())
          .endpointIdentificationAlgorithm(null)
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("TLS files " + files + " are not usable: "
          + e.getMessage(), e);
    }
  }
}
