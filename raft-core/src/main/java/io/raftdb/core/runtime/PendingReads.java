package io.raftdb.core.runtime;

import io.raftdb.core.protocol.ReadState;
import java.util.HashMap;
import java.util.Map;

/**
 * Linearizable and lease reads waiting for the leader to confirm their read index, by the
 * request id this node gave them.
 *
 * <p>Threading: event loop only.
 */
final class PendingReads {
  private final Map<Long, ReadRequest> byId = new HashMap<>();
  private long lastId;

  /** Remembers a read and returns the new id to give the protocol for it. */
  long register(ReadRequest read) {
    long id = ++lastId;
    byId.put(id, read);
    return id;
  }

  /** Forgets a read the protocol refused. */
  void forget(long id) {
    byId.remove(id);
  }

  /**
   * The read the leader confirmed, now knowing the index it must wait for, or {@code null} if
   * that read is no longer waiting.
   */
  ReadRequest confirmed(ReadState state) {
    ReadRequest read = byId.remove(state.requestId());
    if (read != null) {
      read.readIndex = state.index();
    }
    return read;
  }

  /** Takes the read with this id out, or {@code null}. */
  ReadRequest remove(long id) {
    return byId.remove(id);
  }

  /** Fails every waiting read and forgets them. */
  void failAll(Throwable cause) {
    for (ReadRequest r : byId.values()) {
      r.fail(cause);
    }
    byId.clear();
  }
}
