package io.raftdb.core.session;

import io.raftdb.NodeId;
import io.raftdb.message.ClientReply;
import io.raftdb.message.RaftMessage;
import io.raftdb.transport.MessageHandler;
import io.raftdb.transport.Transport;
import java.util.ArrayList;
import java.util.List;

/** A transport that keeps the replies a {@link ClientService} sends, for a test to read. */
final class RecordingTransport implements Transport {
  final List<ClientReply> replies = new ArrayList<>();

  @Override
  public void start(MessageHandler handler) {}

  @Override
  public void send(NodeId to, RaftMessage message) {
    replies.add((ClientReply) message);
  }

  @Override
  public void close() {}
}
