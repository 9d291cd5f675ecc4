package io.raftdb.sim.scenario;

import io.raftdb.storage.HardState;
import java.nio.charset.StandardCharsets;

/**
 * The size of a {@link HardState} as RaftDB keeps it durably: a {@code FileMetaStorage} file of
 * magic (4), version (1), term (8), the voted-for id's length (1) and its bytes, and a CRC32C
 * (4). The memory store keeps no bytes, so the harness counts these for it, to bound what the labs'
 * {@code RaftStateSize} bounds. {@code HardStateBytesTest} holds this to the real file's size.
 */
final class HardStateBytes {
  private static final int FIXED = 4 + 1 + 8 + 1 + 4;

  private HardStateBytes() {}

  static long of(HardState state) {
    return FIXED + (state.votedFor() == null ? 0
        : state.votedFor().value().getBytes(StandardCharsets.US_ASCII).length);
  }
}
