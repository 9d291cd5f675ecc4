package io.raftdb.tcp;

import io.raftdb.message.MessageCodec;
import java.time.Duration;
import java.util.Map;

/**
 * The settings of a {@link TcpTransport}, read from the options map a
 * {@link io.raftdb.transport.TransportFactory} is given (keys below; values as numbers, strings
 * or {@link Duration}s). Unknown keys are ignored, as the factory contract says; a known key with
 * a bad value is refused by name.
 *
 * @param maxFrameBytes the largest frame sent or accepted ({@value #MAX_FRAME}); a larger
 *     inbound frame closes its connection, a larger outbound message is dropped
 * @param outboundBufferBytes how many encoded bytes may wait for one destination
 *     ({@value #OUTBOUND_BUFFER}); beyond that, messages to it are dropped and counted
 * @param connectTimeout how long one connection attempt may take ({@value #CONNECT_TIMEOUT})
 * @param minReconnectDelay the first back-off after a failed connection ({@value #MIN_BACKOFF})
 * @param maxReconnectDelay the longest back-off ({@value #MAX_BACKOFF})
 * @param ioThreads Netty I/O threads for this transport ({@value #IO_THREADS})
 * @param tls mutual TLS, or {@code null} for plain TCP
 * @param clientAddress a second {@code host:port} this node listens on for clients only (a
 *     member's message there closes the connection), or {@code null}; clients may also use the
 *     member address
 */
public record TcpOptions(int maxFrameBytes, long outboundBufferBytes, Duration connectTimeout,
    Duration minReconnectDelay, Duration maxReconnectDelay, int ioThreads, TlsFiles tls,
    String clientAddress) {

  /** Option key: {@code maxFrameBytes}. */
  public static final String MAX_FRAME = "tcp.maxFrameBytes";
  /** Option key: {@code outboundBufferBytes}. */
  public static final String OUTBOUND_BUFFER = "tcp.outboundBufferBytes";
  /** Option key: {@code connectTimeout}. */
  public static final String CONNECT_TIMEOUT = "tcp.connectTimeout";
  /** Option key: {@code minReconnectDelay}. */
  public static final String MIN_BACKOFF = "tcp.minReconnectDelay";
  /** Option key: {@code maxReconnectDelay}. */
  public static final String MAX_BACKOFF = "tcp.maxReconnectDelay";
  /** Option key: {@code ioThreads}. */
  public static final String IO_THREADS = "tcp.ioThreads";
  /** Option key: a {@link TlsFiles}, turning on mutual TLS. */
  public static final String TLS = "tcp.tls";
  /** Option key: {@code clientAddress}. */
  public static final String CLIENT_ADDRESS = "tcp.clientAddress";

  /** Checks the values. */
  public TcpOptions {
    if (maxFrameBytes < 1024 || maxFrameBytes > MessageCodec.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(MAX_FRAME + " must be in [1024, "
          + MessageCodec.MAX_FRAME_BYTES + "], got " + maxFrameBytes);
    }
    if (outboundBufferBytes < maxFrameBytes) {
      throw new IllegalArgumentException(OUTBOUND_BUFFER + " must hold one frame ("
          + maxFrameBytes + " bytes), got " + outboundBufferBytes);
    }
    positive(CONNECT_TIMEOUT, connectTimeout);
    positive(MIN_BACKOFF, minReconnectDelay);
    positive(MAX_BACKOFF, maxReconnectDelay);
    if (maxReconnectDelay.compareTo(minReconnectDelay) < 0) {
      throw new IllegalArgumentException(MAX_BACKOFF + " is below " + MIN_BACKOFF);
    }
    if (clientAddress != null) {
      HostPort.parse(CLIENT_ADDRESS, clientAddress);
    }
    if (ioThreads < 1) {
      throw new IllegalArgumentException(IO_THREADS + " must be at least 1, got " + ioThreads);
    }
  }

  /** The defaults: 64 MiB frames (the codec's limit), 128 MiB per destination, 1 I/O thread. */
  public static TcpOptions defaults() {
    return new TcpOptions(MessageCodec.MAX_FRAME_BYTES, 2L * MessageCodec.MAX_FRAME_BYTES,
        Duration.ofSeconds(2), Duration.ofMillis(20), Duration.ofSeconds(2), 1, null, null);
  }

  /** The defaults overridden by whatever {@code options} holds under the keys above. */
  public static TcpOptions from(Map<String, ?> options) {
    TcpOptions d = defaults();
    Object tls = options.get(TLS);
    if (tls != null && !(tls instanceof TlsFiles)) {
      throw new IllegalArgumentException(TLS + " must be a TlsFiles, got " + tls.getClass());
    }
    return new TcpOptions(
        (int) number(options, MAX_FRAME, d.maxFrameBytes),
        number(options, OUTBOUND_BUFFER, d.outboundBufferBytes),
        duration(options, CONNECT_TIMEOUT, d.connectTimeout),
        duration(options, MIN_BACKOFF, d.minReconnectDelay),
        duration(options, MAX_BACKOFF, d.maxReconnectDelay),
        (int) number(options, IO_THREADS, d.ioThreads),
        (TlsFiles) tls,
        options.get(CLIENT_ADDRESS) == null ? null : options.get(CLIENT_ADDRESS).toString());
  }

  private static long number(Map<String, ?> options, String key, long fallback) {
    Object v = options.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
    }
  }

  private static Duration duration(Map<String, ?> options, String key, Duration fallback) {
    Object v = options.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Duration d) {
      return d;
    }
    return Duration.ofMillis(number(options, key, 0));
  }

  private static void positive(String key, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, got " + d);
    }
  }
}
