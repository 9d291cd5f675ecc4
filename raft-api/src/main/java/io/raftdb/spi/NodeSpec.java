package io.raftdb.spi;

import io.raftdb.NodeId;
import io.raftdb.RaftConfig;
import io.raftdb.RaftMetrics;
import io.raftdb.StateMachine;
import io.raftdb.storage.LogStorage;
import io.raftdb.storage.MetaStorage;
import io.raftdb.storage.SnapshotStorage;
import io.raftdb.transport.Transport;
import java.nio.file.Path;
import java.util.List;

/**
 * A checked description of a node, made by {@link io.raftdb.RaftNodeBuilder} and handed to the
 * {@link RaftNodeProvider}. Either {@code dataDirectory} or both the log and meta stores are
 * set; {@code snapshotStorage} may be {@code null} (then no snapshots are taken). Empty
 * {@code members} means the node joins a running group and waits for its leader to add it.
 */
public record NodeSpec(long groupId, NodeId id, List<NodeId> members, StateMachine stateMachine,
    Transport transport, Path dataDirectory, LogStorage logStorage, MetaStorage metaStorage,
    SnapshotStorage snapshotStorage, RaftConfig config, RaftMetrics metrics) {}
