package io.raftdb.core.protocol;

import io.raftdb.NodeId;
import io.raftdb.message.RaftMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages the protocol has produced since the last {@link Ready}, in two lists: those that
 * may go out at once and those that promise something durable and must wait for the persist.
 */
final class Outbox {
  private final ArrayList<Outbound> now = new ArrayList<>();
  private final ArrayList<Outbound> afterPersist = new ArrayList<>();

  void send(NodeId to, RaftMessage message, boolean waitForPersist) {
    (waitForPersist ? afterPersist : now).add(new Outbound(to, message));
  }

  boolean isEmpty() {
    return now.isEmpty() && afterPersist.isEmpty();
  }

  /** Takes the messages that may be sent before the persist; none if {@code holdAll}. */
  List<Outbound> takeNow(boolean holdAll) {
    if (holdAll) {
      return List.of();
    }
    List<Outbound> out = List.copyOf(now);
    now.clear();
    return out;
  }

  /** Takes every remaining message, to send after the persist. */
  List<Outbound> takeAfterPersist() {
    ArrayList<Outbound> out = new ArrayList<>(now.size() + afterPersist.size());
    out.addAll(now);
    out.addAll(afterPersist);
    now.clear();
    afterPersist.clear();
    return out;
  }
}
