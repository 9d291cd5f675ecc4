package io.raftdb.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.core.protocol.Outbound;
import io.raftdb.message.TimeoutNow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncPipelineTest {
  private final SyncPipeline pipeline = new SyncPipeline();
  private final List<String> released = new ArrayList<>();
  private final SyncPipeline.Release release = new SyncPipeline.Release() {
    @Override
    public void persisted(long index, long term) {
      released.add("persisted " + index + "@" + term);
    }

    @Override
    public void send(List<Outbound> messages) {
      for (Outbound o : messages) {
        released.add("send " + o.to());
      }
    }
  };

  private static List<Outbound> message(String to) {
    return List.of(new Outbound(NodeId.of(to), new TimeoutNow(0, NodeId.of("me"), 1)));
  }

  @Test
  void messagesGoAtOnceWhenNothingIsUnsynced() {
    assertEquals(message("a"), pipeline.hold(message("a")));
    assertTrue(pipeline.idle());
    assertFalse(pipeline.syncDue());
  }

  @Test
  void anAcknowledgementWaitsForTheSyncCoveringEverythingWrittenBeforeIt() {
    pipeline.wrote(5, 1);
    assertEquals(List.of(), pipeline.hold(message("a")));
    long first = pipeline.startSync();
    pipeline.wrote(9, 1); // written while the first sync runs
    assertEquals(List.of(), pipeline.hold(message("b")));
    assertTrue(pipeline.syncInFlight());
    assertTrue(pipeline.syncDue());

    pipeline.synced(first, release);
    assertEquals(List.of("persisted 5@1", "send a"), released);
    long second = pipeline.startSync();
    pipeline.synced(second, release);
    assertEquals(List.of("persisted 5@1", "send a", "persisted 9@1", "send b"), released);
    assertTrue(pipeline.idle());
  }

  @Test
  void writesNoSyncHasStartedOnReportOnlyTheNewest() {
    pipeline.wrote(3, 1);
    pipeline.wrote(4, 1);
    pipeline.wrote(7, 2);
    pipeline.synced(pipeline.startSync(), release);
    assertEquals(List.of("persisted 7@2"), released);
  }

  @Test
  void aSyncThatReturnsAfterANewerOneReleasesNothingTwice() {
    pipeline.wrote(3, 1);
    long older = pipeline.startSync();
    pipeline.wrote(4, 1);
    pipeline.syncedAll(release); // an in-line sync covered everything
    pipeline.synced(older, release);
    assertEquals(List.of("persisted 3@1", "persisted 4@1"), released);
    assertFalse(pipeline.syncDue());
  }
}
