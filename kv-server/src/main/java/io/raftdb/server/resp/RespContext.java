package io.raftdb.server.resp;

import io.raftdb.kv.KvLimits;
import java.util.Optional;

/**
 * What the commands of every connection share: the store, its limits, the password if AUTH is
 * on, and the front end's counters for INFO.
 */
record RespContext(KvBackend backend, KvLimits limits, Optional<byte[]> password,
    RespStats stats) {}
