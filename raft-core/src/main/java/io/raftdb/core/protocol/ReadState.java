package io.raftdb.core.protocol;

/**
 * A read request the leader has confirmed (thesis §6.4): once the state machine has applied
 * {@code index}, the read may be served and is linearizable.
 *
 * @param requestId the id the runtime gave {@link RaftProtocol#readIndex}
 * @param index the commit index at the time the read arrived
 */
public record ReadState(long requestId, long index) {}
