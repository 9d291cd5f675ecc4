/**
 * The replicated key-value store: {@link io.raftdb.kv.KvStateMachine}, the
 * {@link io.raftdb.StateMachine} that holds byte-string keys and values in unsigned byte order,
 * and {@link io.raftdb.kv.KvCodec}, the versioned binary encoding of its requests
 * ({@link io.raftdb.kv.KvCommand} writes through the log, {@link io.raftdb.kv.KvQuery} reads)
 * and results. {@link io.raftdb.kv.KvLimits} bounds keys, values and scan pages; every replica
 * must use the same limits.
 */
package io.raftdb.kv;
