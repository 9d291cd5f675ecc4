package io.raftdb;

import io.raftdb.spi.ClientSpec;
import io.raftdb.spi.RaftClientProvider;
import io.raftdb.transport.Transport;
import io.raftdb.transport.TransportFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.UUID;

/**
 * Describes a {@link RaftClient}. The members and a transport are required; everything else has
 * a default:
 *
 * <pre>{@code
 * RaftClient client = RaftClient.builder()
 *     .members(List.of(n1, n2, n3))
 *     .transport("tcp", Map.of(n1, "127.0.0.1:7001", n2, "127.0.0.1:7002", n3, "127.0.0.1:7003"))
 *     .build();
 * byte[] result = client.submit(command).get();
 * }</pre>
 */
public final class RaftClientBuilder {
  private long groupId;
  private NodeId id;
  private List<NodeId> members = List.of();
  private Transport transport;
  private String transportName;
  private Map<NodeId, String> addresses = Map.of();
  private Map<String, ?> transportOptions = Map.of();
  private Duration callTimeout = Duration.ofSeconds(10);
  private Duration attemptTimeout = Duration.ofSeconds(1);
  private Duration minBackoff = Duration.ofMillis(10);
  private Duration maxBackoff = Duration.ofMillis(500);
  private int maxOutstanding = 1024;
  private Duration keepAliveInterval = Duration.ofSeconds(10);

  RaftClientBuilder() {}

  /** The group, when several share a transport; 0 by default. */
  public RaftClientBuilder groupId(long groupId) {
    this.groupId = groupId;
    return this;
  }

  /** The client's address on the transport; by default a random {@code client-…} id. */
  public RaftClientBuilder id(NodeId id) {
    this.id = Objects.requireNonNull(id, "id");
    return this;
  }

  /** The members of the group. */
  public RaftClientBuilder members(List<NodeId> members) {
    this.members = List.copyOf(members);
    return this;
  }

  /**
   * A ready-made transport, registered under this client's {@link #id(NodeId) id} (required with
   * it: replies are addressed to that id); the client closes it.
   */
  public RaftClientBuilder transport(Transport transport) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.transportName = null;
    return this;
  }

  /** A transport found by name, with every member's address. */
  public RaftClientBuilder transport(String name, Map<NodeId, String> addresses) {
    return transport(name, addresses, Map.of());
  }

  /** As {@link #transport(String, Map)}, with transport-specific options. */
  public RaftClientBuilder transport(String name, Map<NodeId, String> addresses,
      Map<String, ?> options) {
    this.transportName = Objects.requireNonNull(name, "name");
    this.addresses = Map.copyOf(addresses);
    this.transportOptions = Map.copyOf(options);
    this.transport = null;
    return this;
  }

  /** Each call's deadline (10 s by default). */
  public RaftClientBuilder callTimeout(Duration d) {
    this.callTimeout = positive(d, "callTimeout");
    return this;
  }

  /** How long one attempt waits for its reply before it is sent again (1 s by default). */
  public RaftClientBuilder attemptTimeout(Duration d) {
    this.attemptTimeout = positive(d, "attemptTimeout");
    return this;
  }

  /** The shortest and longest pause between retries (10 ms and 500 ms by default). */
  public RaftClientBuilder backoff(Duration min, Duration max) {
    positive(min, "min backoff");
    if (positive(max, "max backoff").compareTo(min) < 0) {
      throw new IllegalArgumentException("max backoff " + max + " is below min backoff " + min);
    }
    this.minBackoff = min;
    this.maxBackoff = max;
    return this;
  }

  /**
   * The most calls outstanding at once (1,024 by default, at most 4,096: the group keeps no
   * more unacknowledged replies per session); past it a call fails at once with
   * {@link OverloadedException}.
   */
  public RaftClientBuilder maxOutstanding(int n) {
    if (n < 1 || n > 4096) {
      throw new IllegalArgumentException("maxOutstanding must be in 1..4096, got " + n);
    }
    this.maxOutstanding = n;
    return this;
  }

  /**
   * How often an idle session is kept alive (10 s by default); keep it well below the group's
   * {@link RaftConfig#sessionTimeout()}.
   */
  public RaftClientBuilder keepAliveInterval(Duration d) {
    this.keepAliveInterval = positive(d, "keepAliveInterval");
    return this;
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
    return d;
  }

  /**
   * Builds the client and starts its transport.
   *
   * @throws IllegalArgumentException if the members or the transport are missing
   * @throws IllegalStateException if no RaftDB runtime ({@code raft-core}) is on the class path
   */
  public RaftClient build() {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("members are required");
    }
    if (transport == null && transportName == null) {
      throw new IllegalArgumentException("a transport is required");
    }
    if (transport != null && id == null) {
      throw new IllegalArgumentException("a ready-made transport needs the client id it was"
          + " made for: call id(...)");
    }
    NodeId self = id != null ? id : NodeId.of("client-" + UUID.randomUUID().toString()
        .substring(0, 13));
    Transport t = transport != null
        ? transport
        : TransportFactory.named(transportName).create(self, addresses, transportOptions);
    ClientSpec spec = new ClientSpec(groupId, self, members, t, callTimeout, attemptTimeout,
        minBackoff, maxBackoff, maxOutstanding, keepAliveInterval);
    RaftClientProvider provider = ServiceLoader.load(RaftClientProvider.class).findFirst()
        .orElseThrow(() -> new IllegalStateException(
            "no RaftDB runtime on the class path: add the raft-core module"));
    return provider.create(spec);
  }
}
