package io.raftdb.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.NodeId;
import io.raftdb.RaftConfig;
import io.raftdb.core.protocol.Outbound;
import io.raftdb.core.protocol.RaftProtocol;
import io.raftdb.core.protocol.Ready;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.memory.MemoryMetaStorage;
import io.raftdb.message.AppendEntries;
import io.raftdb.message.AppendEntriesResponse;
import io.raftdb.message.LogEntry;
import io.raftdb.message.RequestVote;
import io.raftdb.storage.HardState;
import io.raftdb.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The order in which the {@link ReadyDriver} writes, syncs and sends, with pipelined persistence,
 * seen through a host that records every call: the rules the runtime and the simulator share.
 */
class ReadyDriverTest {
  private static final NodeId SELF = NodeId.of("n1");
  private static final NodeId LEADER = NodeId.of("n2");
  private static final RaftConfig CONFIG = RaftConfig.defaults().withCheckQuorum(false)
      .withPreVote(false);

  private final MemoryLogStorage log = new MemoryLogStorage();
  private final MemoryMetaStorage meta = new MemoryMetaStorage();
  private final RaftProtocol protocol = new RaftProtocol(0, SELF,
      List.of(SELF, LEADER, NodeId.of("n3")), CONFIG, log, HardState.INITIAL,
      new SplittableRandom(1), () -> 0);
  private final RecordingHost host = new RecordingHost();
  private final ReadyDriver driver = new ReadyDriver(protocol, log, meta, true,
      new SnapshotShipper(protocol, null, o -> { }, 0, 1024, 10),
      new SnapshotInstaller(protocol, null, 0, s -> { }), host);

  @Test
  void anAcknowledgementWaitsForTheBackgroundSyncThatCoversItsEntries() {
    followLeader();
    appendFromLeader(1, 0, LogEntry.noOp(1, 1), LogEntry.command(2, 1, new byte[] {1}));
    handleAll();
    assertEquals(0, host.acknowledgements(), "acknowledged before any sync");
    assertEquals(2, log.lastIndex(), "written at once");

    driver.synced(driver.startSync());
    assertEquals(1, host.acknowledgements());
    assertEquals(2, protocol.durableIndex());
  }

  @Test
  void aHeartbeatsAcknowledgementWaitsBehindUnsyncedEntries() {
    followLeader();
    appendFromLeader(1, 0, LogEntry.noOp(1, 1));
    handleAll();
    long covered = driver.startSync();
    appendFromLeader(1, 1); // a heartbeat: nothing to write, but it acknowledges index 1
    handleAll();
    assertEquals(0, host.acknowledgements());
    driver.synced(covered);
    assertEquals(2, host.acknowledgements(), "both, in order, once the sync returned");
  }

  @Test
  void aReadyThatOverwritesEntriesWaitsForTheSyncInFlightThenSyncsInLine() {
    followLeader();
    appendFromLeader(1, 0, LogEntry.noOp(1, 1), LogEntry.command(2, 1, new byte[] {1}));
    handleAll();
    host.backgroundSyncInFlight = driver.startSync();
    // A new leader of term 2 overwrites entry 2: a term change and a truncation.
    protocol.step(new AppendEntries(0, NodeId.of("n3"), 2, 1, 1, 0, 1,
        List.of(LogEntry.noOp(2, 2))));
    handleAll();
    // The old leader's acknowledgement goes once its sync returned, before anything is
    // overwritten; the new one only after the in-line sync.
    assertEquals(List.of("afterSyncInFlight", "synced", "send AppendEntriesResponse",
        "hardStateSaved", "logTruncated 2", "logAppended", "syncInLine",
        "send AppendEntriesResponse"), host.calls.subList(host.calls.indexOf(
            "afterSyncInFlight"), host.calls.size()));
  }

  @Test
  void aVoteIsSentOnlyAfterItIsSaved() {
    protocol.step(new RequestVote(0, LEADER, 1, 0, 0, false, false));
    handleAll();
    int saved = host.calls.indexOf("hardStateSaved");
    int sent = host.calls.indexOf("send RequestVoteResponse");
    assertTrue(saved >= 0 && sent > saved, host.calls.toString());
    assertEquals(LEADER, meta.load().votedFor());
  }

  @Test
  void aFailedWriteSendsNothingThatDependsOnIt() {
    log.injectFailure(new StorageException("the disk is full"));
    appendFromLeader(1, 0, LogEntry.noOp(1, 1));
    handleAll();
    assertTrue(host.failure instanceof StorageException);
    assertEquals(0, host.acknowledgements());
    assertFalse(host.calls.contains("logAppended"));
  }

  /** The node learns term 1 and its leader (a term change: persisted in line); calls cleared. */
  private void followLeader() {
    appendFromLeader(1, 0);
    handleAll();
    host.calls.clear();
    host.sent.clear();
  }

  private void appendFromLeader(long term, long prev, LogEntry... entries) {
    long prevTerm = prev == 0 ? 0 : 1;
    protocol.step(new AppendEntries(0, LEADER, term, prev, prevTerm, 0, 1, List.of(entries)));
  }

  private void handleAll() {
    while (protocol.hasReady() && host.failure == null) {
      Ready rd = protocol.ready();
      driver.handle(rd, 0);
    }
  }

  /** Records every call, runs in-line syncs at once, reports a background sync on request. */
  private final class RecordingHost implements ReadyDriver.Host {
    final List<String> calls = new ArrayList<>();
    final List<Outbound> sent = new ArrayList<>();
    long backgroundSyncInFlight = -1;
    RuntimeException failure;

    int acknowledgements() {
      int n = 0;
      for (Outbound o : sent) {
        if (o.message() instanceof AppendEntriesResponse r && r.success()) {
          n++;
        }
      }
      return n;
    }

    @Override
    public void send(List<Outbound> messages) {
      for (Outbound o : messages) {
        calls.add("send " + o.message().getClass().getSimpleName());
        sent.add(o);
      }
    }

    @Override
    public void handOver(Ready ready) {
    }

    @Override
    public void afterSyncInFlight(Runnable then) {
      calls.add("afterSyncInFlight");
      calls.add("synced");
      driver.synced(backgroundSyncInFlight);
      backgroundSyncInFlight = -1;
      then.run();
    }

    @Override
    public void syncInLine(boolean logWritten, Runnable then) {
      calls.add("syncInLine");
      if (logWritten) {
        log.sync();
      }
      then.run();
    }

    @Override
    public void storageFailed(RuntimeException e) {
      calls.add("storageFailed");
      failure = e;
    }

    @Override
    public void logTruncated(long index) {
      calls.add("logTruncated " + index);
    }

    @Override
    public void logAppended(List<LogEntry> entries) {
      calls.add("logAppended");
    }

    @Override
    public void hardStateSaved(HardState state) {
      calls.add("hardStateSaved");
    }
  }
}
