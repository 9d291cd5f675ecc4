package io.raftdb.sim.network;

import io.raftdb.NodeId;
import io.raftdb.message.AppendEntries;
import io.raftdb.message.AppendEntriesResponse;
import io.raftdb.message.LogEntry;
import io.raftdb.message.RaftMessage;
import java.util.List;

/** Small messages for the network tests; {@code tag} travels in the round field. */
final class Messages {

  static final NodeId A = NodeId.of("a");
  static final NodeId B = NodeId.of("b");
  static final NodeId C = NodeId.of("c");
  static final NodeId D = NodeId.of("d");
  static final NodeId E = NodeId.of("e");

  private Messages() {}

  /** A heartbeat: a request. */
  static AppendEntries request(NodeId from, long tag) {
    return new AppendEntries(1, from, 3, 0, 0, 0, tag, List.of());
  }

  /** A request carrying one entry with {@code payload}. */
  static AppendEntries request(NodeId from, long tag, byte[] payload) {
    return new AppendEntries(1, from, 3, 4, 2, 4, tag, List.of(LogEntry.command(5, 3, payload)));
  }

  /** An acknowledgement: a reply. */
  static AppendEntriesResponse reply(NodeId from, long tag) {
    return new AppendEntriesResponse(1, from, 3, true, 7, 0, 0, tag);
  }

  /** The tag a message from this class carries. */
  static long tag(RaftMessage message) {
    if (message instanceof AppendEntries m) {
      return m.round();
    }
    if (message instanceof AppendEntriesResponse m) {
      return m.round();
    }
    throw new IllegalArgumentException("not a test message: " + message);
  }
}
