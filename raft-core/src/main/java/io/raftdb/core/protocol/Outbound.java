package io.raftdb.core.protocol;

import io.raftdb.NodeId;
import io.raftdb.message.RaftMessage;

/** A message the protocol wants sent, and to whom. */
public record Outbound(NodeId to, RaftMessage message) {}
