package io.raftdb.spi;

import io.raftdb.RaftClient;

/**
 * The runtime that makes {@link RaftClient}s, found through {@link java.util.ServiceLoader}
 * (listed in {@code META-INF/services/io.raftdb.spi.RaftClientProvider}). {@code raft-core}
 * provides it; users never implement it.
 */
public interface RaftClientProvider {
  /** Makes a client as described; it starts its transport. */
  RaftClient create(ClientSpec spec);
}
