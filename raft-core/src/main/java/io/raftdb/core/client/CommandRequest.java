package io.raftdb.core.client;

import io.raftdb.NodeId;

/**
 * One command request of a {@link DefaultRaftClient} in flight: the commands it carries (one, or
 * several numbered consecutively in one session), where it went and when it counts as lost. Its
 * reply answers each command that has not been sent again or ended since. Guarded by the
 * client's lock.
 */
final class CommandRequest {
  final long id;
  final NodeId target;
  final ClientCall[] calls;
  final long dueNanos;

  CommandRequest(long id, NodeId target, ClientCall[] calls, long dueNanos) {
    this.id = id;
    this.target = target;
    this.calls = calls;
    this.dueNanos = dueNanos;
  }

  /** Whether {@code call}'s attempt in flight is this request's. */
  boolean carries(ClientCall call) {
    return !call.done && call.callId == id;
  }
}
