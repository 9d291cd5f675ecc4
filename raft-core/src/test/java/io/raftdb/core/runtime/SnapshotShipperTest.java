package io.raftdb.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.RaftConfig;
import io.raftdb.Role;
import io.raftdb.core.protocol.Outbound;
import io.raftdb.core.protocol.RaftProtocol;
import io.raftdb.core.protocol.Ready;
import io.raftdb.core.protocol.SnapshotRequest;
import io.raftdb.core.storage.memory.MemoryLogStorage;
import io.raftdb.core.storage.snapshot.MemorySnapshotStorage;
import io.raftdb.message.AppendEntries;
import io.raftdb.message.InstallSnapshot;
import io.raftdb.message.InstallSnapshotResponse;
import io.raftdb.message.RequestVoteResponse;
import io.raftdb.storage.HardState;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.StorageException;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The leader's snapshot transfers when the snapshot cannot be read: the node must not spin on
 * the failing read. The driver plays the worst caller, asking for the snapshot again on every
 * step of a virtual clock (the protocol asks again as soon as it hears of a failure); the shipper
 * reads at most once per wait, the waits doubling from {@value #SILENCE} steps.
 */
@Timeout(60)
class SnapshotShipperTest {
  private static final NodeId SELF = NodeId.of("n1");
  private static final NodeId PEER = NodeId.of("n2");
  private static final long SILENCE = 10;
  private static final long STEPS = 1_000;

  @Test
  void anUnreadableSnapshotIsRetriedAfterGrowingWaitsNotOnEveryStep() {
    FlakyStore store = new FlakyStore(Long.MAX_VALUE);
    List<Outbound> sent = new ArrayList<>();
    SnapshotShipper shipper = new SnapshotShipper(soleLeader(), store, sent::add, 0, 1024,
        SILENCE);
    SnapshotRequest request = new SnapshotRequest(PEER, store.snapshot.index(), 1);
    for (long now = 0; now < STEPS; now++) {
      shipper.start(List.of(request), now);
      shipper.checkProgress(now);
    }
    // Waits of 10, 20, 40, 80, 160, then 160 each: reads at 0, 10, 30, 70, 150, 310, 470,
    // 630, 790, 950.
    assertTrue(store.reads <= 10, store.reads + " reads in " + STEPS + " steps");
    assertEquals(store.reads, shipper.transfersAbandoned());
    assertTrue(sent.isEmpty());
  }

  @Test
  void aReadThatWorksAgainResumesTheTransfer() {
    FlakyStore store = new FlakyStore(3);
    List<Outbound> sent = new ArrayList<>();
    SnapshotShipper shipper = new SnapshotShipper(soleLeader(), store, sent::add, 0, 1024,
        SILENCE);
    SnapshotRequest request = new SnapshotRequest(PEER, store.snapshot.index(), 1);
    for (long now = 0; now < STEPS && sent.isEmpty(); now++) {
      shipper.start(List.of(request), now);
      shipper.checkProgress(now);
    }
    assertEquals(1, sent.size(), "the first chunk goes out once the store reads again");
    assertTrue(sent.get(0).message() instanceof InstallSnapshot);
    assertEquals(4, store.reads);
  }

  /**
   * Found by the simulator (a leader stalled for seconds, then ran its queued inputs before any
   * tick): an answer to a chunk of a transfer started in a past leadership must not make the node
   * send the next chunk, with the old term and possibly a snapshot newer than that term.
   */
  @Test
  void anAnswerFromAPastLeadershipSendsNothing() {
    MemoryLogStorage log = new MemoryLogStorage();
    RaftConfig config = RaftConfig.defaults().withPreVote(false).withCheckQuorum(false);
    AtomicLong clock = new AtomicLong();
    RaftProtocol p = new RaftProtocol(0, SELF, List.of(SELF, PEER), config, log,
        HardState.INITIAL, new SplittableRandom(1), clock::get);
    for (int i = 0; i < 100_000 && p.role() != Role.CANDIDATE; i++) {
      clock.addAndGet(config.tickInterval().toNanos());
      p.tick();
    }
    p.step(new RequestVoteResponse(0, PEER, p.term(), true, false));
    assertEquals(Role.LEADER, p.role());
    long term = p.term();
    FlakyStore store = new FlakyStore(0);
    List<Outbound> sent = new ArrayList<>();
    SnapshotShipper shipper = new SnapshotShipper(p, store, sent::add, 0, 4, SILENCE);
    shipper.start(List.of(new SnapshotRequest(PEER, store.snapshot.index(), 1)), 0);
    assertEquals(1, sent.size());

    p.step(new AppendEntries(0, PEER, term + 1, 0, 0, 0, 1, List.of()));
    assertEquals(Role.FOLLOWER, p.role());
    shipper.onResponse(new InstallSnapshotResponse(0, PEER, term, store.snapshot.index(), 4,
        false), 1);
    assertEquals(1, sent.size(), "a chunk went out after the leadership ended: " + sent);
  }

  /** A store with one snapshot whose first {@code failures} reads fail. */
  private static final class FlakyStore extends ForwardingSnapshotStorage {
    final SnapshotInfo snapshot;
    final long failures;
    long reads;

    FlakyStore(long failures) {
      super(new MemorySnapshotStorage());
      this.failures = failures;
      this.snapshot = save(5, 1, Membership.ofVoters(List.of(SELF, PEER)), out -> new DataOutputStream(out)
          .writeLong(42));
    }

    @Override
    public byte[] read(SnapshotInfo s, long offset, int maxBytes) {
      if (++reads <= failures) {
        throw new StorageException("the snapshot file cannot be read (read " + reads + ")");
      }
      return super.read(s, offset, maxBytes);
    }
  }

  /** A one-member group's protocol, ticked until it leads. */
  private static RaftProtocol soleLeader() {
    MemoryLogStorage log = new MemoryLogStorage();
    RaftConfig config = RaftConfig.defaults();
    AtomicLong clock = new AtomicLong();
    RaftProtocol p = new RaftProtocol(0, SELF, List.of(SELF), config, log, HardState.INITIAL,
        new SplittableRandom(1), clock::get);
    for (int i = 0; i < 100_000 && p.role() != Role.LEADER; i++) {
      clock.addAndGet(config.tickInterval().toNanos());
      p.tick();
      while (p.hasReady()) {
        Ready rd = p.ready();
        if (!rd.entries().isEmpty()) {
          log.append(rd.entries());
        }
        p.advance(rd);
      }
    }
    assertEquals(Role.LEADER, p.role());
    return p;
  }
}
