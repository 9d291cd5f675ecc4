package io.raftdb.core.runtime;

import io.raftdb.RaftConfig;
import io.raftdb.core.session.ClientService;
import io.raftdb.storage.LogStorage;
import io.raftdb.transport.Transport;

/**
 * Checks, when a node is built, that the largest command it accepts can be stored by its log and
 * carried by its transport, and that its batches and snapshot chunks fit in one message: a
 * command that passed {@code propose} must never fail later, where it would stop a node or stall
 * replication for good.
 */
final class SizeLimits {
  /** More than a log entry's record adds to its payload (kind, index, term, length, CRC). */
  static final int ENTRY_OVERHEAD_BYTES = 64;
  /** More than a message adds to what it carries (header, sender, numbers, CRC). */
  static final int MESSAGE_OVERHEAD_BYTES = 1024;

  private SizeLimits() {}

  /**
   * @throws IllegalArgumentException naming the settings that do not fit together
   */
  static void check(RaftConfig config, LogStorage log, Transport transport) {
    long entry = (long) config.maxCommandBytes() + ClientService.maxFramingBytes()
        + ENTRY_OVERHEAD_BYTES;
    if (entry > log.maxEntryBytes()) {
      throw new IllegalArgumentException("RaftConfig.maxCommandBytes " + config.maxCommandBytes()
          + " does not fit the log, whose largest entry is " + log.maxEntryBytes()
          + " bytes: lower maxCommandBytes or give the log more room (for the Chronicle log, a"
          + " larger blockSize)");
    }
    long message = transport.maxMessageBytes();
    if (entry + MESSAGE_OVERHEAD_BYTES > message) {
      throw new IllegalArgumentException("RaftConfig.maxCommandBytes " + config.maxCommandBytes()
          + " does not fit the transport, whose largest message is " + message + " bytes");
    }
    // Entries are batched by their size estimates, which undercount small entries' records.
    if (2L * config.maxAppendBytes() + MESSAGE_OVERHEAD_BYTES > message) {
      throw new IllegalArgumentException("RaftConfig.maxAppendBytes " + config.maxAppendBytes()
          + " must be at most half the transport's largest message, " + message + " bytes");
    }
    if ((long) config.snapshotChunkBytes() + MESSAGE_OVERHEAD_BYTES > message) {
      throw new IllegalArgumentException("RaftConfig.snapshotChunkBytes "
          + config.snapshotChunkBytes() + " does not fit the transport, whose largest message is "
          + message + " bytes");
    }
  }
}
