package io.raftdb.core.client;

import io.raftdb.RaftClient;
import io.raftdb.spi.ClientSpec;
import io.raftdb.spi.RaftClientProvider;

/** Makes {@code raft-core}'s {@link RaftClient}; found through {@link java.util.ServiceLoader}. */
public final class CoreRaftClientProvider implements RaftClientProvider {
  /** For {@link java.util.ServiceLoader}. */
  public CoreRaftClientProvider() {}

  @Override
  public RaftClient create(ClientSpec spec) {
    return new DefaultRaftClient(spec);
  }
}
