package io.raftdb.spi;

import io.raftdb.RaftNode;

/**
 * The runtime that makes {@link RaftNode}s, found through {@link java.util.ServiceLoader}
 * (listed in {@code META-INF/services/io.raftdb.spi.RaftNodeProvider}). {@code raft-core}
 * provides it; embedders never implement it.
 */
public interface RaftNodeProvider {
  /** Opens storage and starts a node as described. */
  RaftNode create(NodeSpec spec);
}
