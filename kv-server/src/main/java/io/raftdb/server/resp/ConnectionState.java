package io.raftdb.server.resp;

import io.raftdb.kv.ByteString;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What a RESP connection remembers between its commands. Used on its event loop only. */
final class ConnectionState {
  /** SCAN cursors a connection may hold open; the oldest is forgotten beyond this. */
  static final int MAX_OPEN_CURSORS = 1024;

  final long id;
  boolean authenticated;
  byte[] name;
  private long lastCursor;
  private final Map<Long, ByteString> cursors = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, ByteString> eldest) {
      return size() > MAX_OPEN_CURSORS;
    }
  };

  ConnectionState(long id, boolean authenticated) {
    this.id = id;
    this.authenticated = authenticated;
  }

  /**
   * A SCAN cursor for the scan that goes on at {@code nextKey}. Redis's cursors are numbers
   * (redis-cli parses them as such), while RaftDB's ordered map goes on from a key, so the
   * connection keeps each open cursor's key.
   */
  long openCursor(ByteString nextKey) {
    long cursor = ++lastCursor;
    cursors.put(cursor, nextKey);
    return cursor;
  }

  /** Where the scan of {@code cursor} goes on; cursor 0 starts at the smallest key. */
  Optional<ByteString> resumeCursor(long cursor) {
    if (cursor == 0) {
      return Optional.of(ByteString.EMPTY);
    }
    return Optional.ofNullable(cursors.remove(cursor));
  }
}
