package io.raftdb.core.runtime;

import io.raftdb.RaftNode;
import io.raftdb.spi.NodeSpec;
import io.raftdb.spi.RaftNodeProvider;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RaftNodeProvider} of {@code raft-core}, found by {@link java.util.ServiceLoader}
 * when {@link io.raftdb.RaftNodeBuilder#build()} runs: it opens the node's storage and builds an
 * event-loop node on it (which its owner then starts). If the node cannot start, the storage and transport it was given are
 * closed before the exception propagates, so a failed build leaks nothing.
 */
public final class CoreRaftNodeProvider implements RaftNodeProvider {
  private static final Logger LOG = LoggerFactory.getLogger(CoreRaftNodeProvider.class);

  /** The instance {@link java.util.ServiceLoader} makes. */
  public CoreRaftNodeProvider() {}

  @Override
  public RaftNode create(NodeSpec spec) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(spec.id(), "id");
    Objects.requireNonNull(spec.members(), "members");
    Objects.requireNonNull(spec.stateMachine(), "stateMachine");
    Objects.requireNonNull(spec.transport(), "transport");
    Objects.requireNonNull(spec.config(), "config");
    NodeStorage storage;
    try {
      storage = NodeStorage.open(spec);
    } catch (RuntimeException e) {
      closeTransport(spec, e);
      throw e;
    }
    try {
      return EventLoopRaftNode.create(spec, storage);
    } catch (RuntimeException e) {
      storage.closeQuietly();
      closeTransport(spec, e);
      throw e;
    }
  }

  private static void closeTransport(NodeSpec spec, RuntimeException failure) {
    try {
      spec.transport().close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
      LOG.debug("node {}: closing the transport after a failed start failed", spec.id(), e);
    }
  }
}
