package io.raftdb.kv;

/**
 * A request to the key-value store: a {@link KvCommand} (a write, submitted through the log) or a
 * {@link KvQuery} (a read, sent through {@code RaftNode.query}). {@link KvCodec} encodes requests
 * and decodes their results.
 *
 * @param <R> the type of the request's result, as {@link KvCodec#decodeResult} returns it
 */
public sealed interface KvRequest<R> permits KvCommand, KvQuery {}
