package io.raftdb.sim;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a {@link SimNetwork} knows about one node across its incarnations: which transport is
 * registered now (none while the node is down), and how many requests were handed to any of its
 * incarnations.
 */
final class NodeSlot {

  /** The started, not yet closed transport of this node, or {@code null}. */
  final AtomicReference<SimTransport> live = new AtomicReference<>();

  /** Requests delivered to this node's handler, over all incarnations. */
  final LongAdder requestsDelivered = new LongAdder();
}
