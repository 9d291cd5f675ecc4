package io.raftdb.server;

import io.raftdb.tcp.TcpOptions;
import io.raftdb.tcp.TlsFiles;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The mutual-TLS flags shared by the server and the client commands: all three or none. */
final class TlsOptions {
  @Option(names = "--tls-cert", paramLabel = "PEM", description = "This party's certificate chain.")
  Path certificate;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "Its private key (PKCS#8).")
  Path key;

  @Option(names = "--tls-ca", paramLabel = "PEM", description = "The cluster's CA certificate.")
  Path authority;

  /** The transport options these flags mean. */
  Map<String, ?> transportOptions() {
    if (certificate == null && key == null && authority == null) {
      return Map.of();
    }
    if (certificate == null || key == null || authority == null) {
      throw new IllegalArgumentException("--tls-cert, --tls-key and --tls-ca go together");
    }
    return Map.of(TcpOptions.TLS, new TlsFiles(certificate, key, authority));
  }
}
