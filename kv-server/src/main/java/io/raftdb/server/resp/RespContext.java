package io.raftdb.server.resp;

import io.netty.util.concurrent.EventExecutor;
import io.raftdb.kv.KvLimits;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the commands of every connection share: the store, its limits, the password if AUTH is
 * on, the front end's counters for INFO, and one batcher per event loop.
 */
final class RespContext {
  private final KvBackend backend;
  private final KvLimits limits;
  private final Optional<byte[]> password;
  private final RespStats stats;
  private final Map<EventExecutor, StoreBatcher> batchers = new ConcurrentHashMap<>();

  RespContext(KvBackend backend, KvLimits limits, Optional<byte[]> password, RespStats stats) {
    this.backend = backend;
    this.limits = limits;
    this.password = password;
    this.stats = stats;
  }

  KvBackend backend() {
    return backend;
  }

  KvLimits limits() {
    return limits;
  }

  Optional<byte[]> password() {
    return password;
  }

  RespStats stats() {
    return stats;
  }

  /** The batcher of the connections on {@code loop}. */
  StoreBatcher batcher(EventExecutor loop) {
    return batchers.computeIfAbsent(loop, l -> new StoreBatcher(l, backend, stats));
  }
}
