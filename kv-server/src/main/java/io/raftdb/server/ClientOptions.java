package io.raftdb.server;

import io.raftdb.RaftClient;
import io.raftdb.kv.KvClient;
import java.time.Duration;
import java.util.ArrayList;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the client commands find the cluster, and how long they wait. */
final class ClientOptions {
  @Option(names = "--peers", converter = PeerList.Converter.class, paramLabel = "ID=HOST:PORT,...",
      defaultValue = PeerList.LOCAL_CLIENTS,
      description = "The nodes and where to reach them, client or member ports "
          + "(default: the local cluster's client ports, ${DEFAULT-VALUE}).")
  PeerList peers;

  @Option(names = "--timeout", defaultValue = "10", paramLabel = "SECONDS",
      description = "How long one request may take, retries included (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Mixin
  TlsOptions tls = new TlsOptions();

  KvClient connect() {
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("--timeout must be at least 1 second");
    }
    return KvClient.of(RaftClient.builder()
        .members(new ArrayList<>(peers.addresses().keySet()))
        .transport("tcp", peers.addresses(), tls.transportOptions())
        .callTimeout(Duration.ofSeconds(timeoutSeconds))
        .build());
  }
}
