package io.raftdb;

import java.util.concurrent.CompletableFuture;

/**
 * The two stages of a submitted command.
 *
 * @param position completes when the leader has appended the command to its log, with the
 *     position it was given (it is not yet committed then); fails with {@link NotLeaderException}
 *     if this node is not the leader
 * @param result completes with the state machine's result once the command is committed and
 *     applied on this node; fails with {@link NotLeaderException}, {@link CommandDroppedException}
 *     or {@link NodeClosedException}
 */
public record Proposal(CompletableFuture<LogPosition> position, CompletableFuture<byte[]> result) {}
