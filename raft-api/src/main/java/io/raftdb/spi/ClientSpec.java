package io.raftdb.spi;

import io.raftdb.NodeId;
import io.raftdb.transport.Transport;
import java.time.Duration;
import java.util.List;

/**
 * A checked description of a client, made by {@link io.raftdb.RaftClientBuilder} and handed to
 * the {@link RaftClientProvider}.
 *
 * @param groupId the group
 * @param id the client's address on the transport
 * @param members the members it may send to
 * @param transport its transport, not yet started
 * @param callTimeout each call's deadline
 * @param attemptTimeout how long one attempt waits for a reply before it is sent again
 * @param minBackoff the first pause between retries (each pause is drawn with jitter up to twice
 *     the previous one)
 * @param maxBackoff the longest pause between retries
 * @param maxOutstanding the most calls outstanding at once
 * @param keepAliveInterval how often an idle session is kept alive
 */
public record ClientSpec(long groupId, NodeId id, List<NodeId> members, Transport transport,
    Duration callTimeout, Duration attemptTimeout, Duration minBackoff, Duration maxBackoff,
    int maxOutstanding, Duration keepAliveInterval) {}
