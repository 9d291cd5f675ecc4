package io.raftdb.core.storage.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.Membership;
import io.raftdb.NodeId;
import io.raftdb.message.MembershipCodec;
import io.raftdb.StateMachine;
import io.raftdb.storage.SnapshotInfo;
import io.raftdb.storage.SnapshotReceiver;
import io.raftdb.storage.SnapshotStorage;
import io.raftdb.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link SnapshotStorage} must show, run against each implementation by a
 * subclass: saving and reading back, keeping the newest few, shipping a snapshot from one store to
 * another in chunks, refusing damaged or mislabelled transfers, surviving a restart, and saving on
 * a background thread while the node's loop reads.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class SnapshotStorageConformanceTest {
  protected static final Membership MEMBERS =
      Membership.ofVoters(List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3")));

  private final List<SnapshotStorage> opened = new ArrayList<>();
  private ExecutorService background;

  /** A new, empty store that keeps the newest {@code keep} snapshots. */
  protected abstract SnapshotStorage openEmpty(int keep) throws Exception;

  /**
   * Closes {@code store} as a crash would and returns what the restarted node finds, keeping
   * the newest {@code keep}.
   */
  protected abstract SnapshotStorage restart(SnapshotStorage store, int keep) throws Exception;

  @AfterEach
  void closeEverything() throws InterruptedException {
    if (background != null) {
      background.shutdownNow();
      assertTrue(background.awaitTermination(1, TimeUnit.MINUTES), "background thread stopped");
    }
    opened.forEach(SnapshotStorage::close);
  }

  private SnapshotStorage open(int keep) throws Exception {
    return track(openEmpty(keep));
  }

  private SnapshotStorage open() throws Exception {
    return open(2);
  }

  private SnapshotStorage reopen(SnapshotStorage store, int keep) throws Exception {
    return track(restart(store, keep));
  }

  private SnapshotStorage track(SnapshotStorage store) {
    opened.add(store);
    return store;
  }

  // ---- helpers ---------------------------------------------------------------------------

  protected static byte[] randomState(int size, long seed) {
    byte[] state = new byte[size];
    new Random(seed).nextBytes(state);
    return state;
  }

  protected static StateMachine.SnapshotWriter writing(byte[] state) {
    return out -> out.write(state);
  }

  protected static byte[] readState(SnapshotStorage store, SnapshotInfo snapshot)
      throws IOException {
    try (InputStream in = store.openState(snapshot)) {
      return in.readAllBytes();
    }
  }

  /** The stored bytes of a snapshot, read in chunks of {@code chunkSize}. */
  protected static byte[] readStored(SnapshotStorage store, SnapshotInfo snapshot, int chunkSize) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int guard = 0; guard <= snapshot.sizeBytes(); guard++) {
      byte[] chunk = store.read(snapshot, all.size(), chunkSize);
      if (chunk.length == 0) {
        return all.toByteArray();
      }
      all.writeBytes(chunk);
    }
    throw new AssertionError("read() never reached the end of " + snapshot);
  }

  /** Ships {@code snapshot} from one store to the other as a leader would, and commits it. */
  protected static SnapshotInfo ship(SnapshotStorage from, SnapshotInfo snapshot,
      SnapshotStorage to, int chunkSize) {
    SnapshotReceiver receiver = to.receive(snapshot.index(), snapshot.term());
    for (int guard = 0; guard <= snapshot.sizeBytes(); guard++) {
      byte[] chunk = from.read(snapshot, receiver.received(), chunkSize);
      if (chunk.length == 0) {
        return receiver.commit();
      }
      receiver.write(receiver.received(), chunk);
    }
    throw new AssertionError("read() never reached the end of " + snapshot);
  }

  private static SnapshotReceiver receiveAll(SnapshotStorage to, long index, long term,
      byte[] stored) {
    SnapshotReceiver receiver = to.receive(index, term);
    receiver.write(0, stored);
    return receiver;
  }

  // ---- save, latest, openState ------------------------------------------------------------

  @Test
  void anEmptyStoreHasNoSnapshot() throws Exception {
    assertEquals(Optional.empty(), open().latest());
  }

  @Test
  void aSavedSnapshotIsTheLatestAndItsStateReadsBack() throws Exception {
    SnapshotStorage store = open();
    byte[] state = randomState(100_000, 1);

    SnapshotInfo saved = store.save(12, 3, MEMBERS, writing(state));

    assertEquals(12, saved.index());
    assertEquals(3, saved.term());
    assertEquals(MEMBERS, saved.membership());
    assertEquals(Optional.of(saved), store.latest());
    assertArrayEquals(state, readState(store, saved));
    assertEquals(saved.sizeBytes(), readStored(store, saved, 8192).length);
    assertTrue(saved.sizeBytes() > state.length, "header and checksum around the state");
  }

  @Test
  void anEmptyStateAndNoMembersMakeAValidSnapshot() throws Exception {
    SnapshotStorage store = open();

    SnapshotInfo saved = store.save(1, 1, Membership.NONE, out -> { });

    assertEquals(Membership.NONE, store.latest().orElseThrow().membership());
    assertArrayEquals(new byte[0], readState(store, saved));
  }

  @Test
  void aStateWrittenByteByByteAndInLargeBlocksReadsBackInOrder() throws Exception {
    SnapshotStorage store = open();
    byte[] state = randomState(300_000, 2);

    SnapshotInfo saved = store.save(5, 1, MEMBERS, out -> {
      for (int i = 0; i < 1000; i++) {
        out.write(state[i]);
      }
      out.write(state, 1000, 200_000); // larger than any sensible buffer
      out.write(state, 201_000, state.length - 201_000);
      out.flush();
    });

    assertArrayEquals(state, readState(store, saved));
  }

  @Test
  void theWholeMembershipIsKept() throws Exception {
    SnapshotStorage store = open();
    Membership members = Membership.ofVoters(List.of(NodeId.of("zeta"), NodeId.of("alpha")))
        .withLearner(NodeId.of("l1"), true).withLearner(NodeId.of("l2"), false)
        .withVoters(List.of(NodeId.of("m"), NodeId.of("k")));

    store.save(3, 1, members, writing(new byte[] {1}));

    assertEquals(members, store.latest().orElseThrow().membership());
  }

  @Test
  void aWriterThatClosesItsStreamStillSaves() throws Exception {
    SnapshotStorage store = open();
    byte[] state = randomState(1000, 3);

    SnapshotInfo saved = store.save(4, 2, MEMBERS, out -> {
      out.write(state);
      out.close();
    });

    assertArrayEquals(state, readState(store, saved));
  }

  @Test
  void theLatestIsTheHighestIndexWhateverTheOrderOfSaves() throws Exception {
    SnapshotStorage store = open(3);

    store.save(10, 2, MEMBERS, writing(new byte[] {10}));
    store.save(5, 1, MEMBERS, writing(new byte[] {5}));

    SnapshotInfo latest = store.latest().orElseThrow();
    assertEquals(10, latest.index());
    assertArrayEquals(new byte[] {10}, readState(store, latest));
  }

  @Test
  void keepsTheNewestTwoByDefaultAndForgetsOlderOnes() throws Exception {
    SnapshotStorage store = open();
    SnapshotInfo first = store.save(1, 1, MEMBERS, writing(new byte[] {1}));
    SnapshotInfo second = store.save(2, 1, MEMBERS, writing(new byte[] {2}));
    SnapshotInfo third = store.save(3, 1, MEMBERS, writing(new byte[] {3}));

    StorageException gone = assertThrows(StorageException.class, () -> store.openState(first));
    assertTrue(gone.getMessage().contains("1@1"), gone.getMessage());
    assertThrows(StorageException.class, () -> store.read(first, 0, 100));
    assertArrayEquals(new byte[] {2}, readState(store, second));
    assertArrayEquals(new byte[] {3}, readState(store, third));
    assertEquals(Optional.of(third), store.latest());
  }

  @Test
  void keepsAsManyAsConfigured() throws Exception {
    SnapshotStorage store = open(3);
    List<SnapshotInfo> saved = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      saved.add(store.save(i * 10, 1, MEMBERS, writing(new byte[] {(byte) i})));
    }

    for (int i = 0; i < 2; i++) {
      SnapshotInfo old = saved.get(i);
      assertThrows(StorageException.class, () -> store.read(old, 0, 1), "index " + old.index());
    }
    for (int i = 2; i < 5; i++) {
      assertArrayEquals(new byte[] {(byte) (i + 1)}, readState(store, saved.get(i)));
    }
  }

  @Test
  void aSnapshotOlderThanAllKeptOnesIsDroppedAtOnce() throws Exception {
    SnapshotStorage store = open(1);
    SnapshotInfo newer = store.save(10, 2, MEMBERS, writing(new byte[] {10}));

    SnapshotInfo older = store.save(5, 1, MEMBERS, writing(new byte[] {5}));

    assertEquals(Optional.of(newer), store.latest());
    assertThrows(StorageException.class, () -> store.openState(older));
  }

  @Test
  void savingTheSameSnapshotTwiceKeepsOneCopy() throws Exception {
    SnapshotStorage store = open();
    SnapshotInfo older = store.save(3, 1, MEMBERS, writing(new byte[] {3}));
    store.save(7, 2, MEMBERS, writing(new byte[] {7}));

    SnapshotInfo again = store.save(7, 2, MEMBERS, writing(new byte[] {7}));

    assertEquals(7, again.index());
    assertEquals(Optional.of(again), store.latest());
    assertArrayEquals(new byte[] {3}, readState(store, older), "the older one was not pruned");
  }

  @Test
  void savedSnapshotsSurviveARestart() throws Exception {
    SnapshotStorage store = open();
    byte[] state = randomState(50_000, 4);
    SnapshotInfo older = store.save(8, 2, MEMBERS, writing(new byte[] {8}));
    SnapshotInfo newer = store.save(9, 2, MEMBERS, writing(state));

    SnapshotStorage restarted = reopen(store, 2);

    assertEquals(Optional.of(newer), restarted.latest());
    assertArrayEquals(state, readState(restarted, newer));
    assertArrayEquals(new byte[] {8}, readState(restarted, older));
  }

  @Test
  void aWriterThatFailsPublishesNothing() throws Exception {
    SnapshotStorage store = open();
    SnapshotInfo kept = store.save(2, 1, MEMBERS, writing(new byte[] {2}));

    StorageException e = assertThrows(StorageException.class,
        () -> store.save(3, 1, MEMBERS, out -> {
          out.write(new byte[100_000]);
          throw new IOException("disk of the state machine unplugged");
        }));
    assertThrows(StorageException.class, () -> store.save(4, 1, MEMBERS, out -> {
      throw new IllegalStateException("state machine bug");
    }));

    assertTrue(e.getMessage().contains("3@1"), e.getMessage());
    assertEquals(Optional.of(kept), store.latest());
    assertEquals(Optional.of(kept), reopen(store, 2).latest());
  }

  @Test
  void invalidSnapshotsAreRefusedBeforeAnythingIsWritten() throws Exception {
    SnapshotStorage store = open();
    List<NodeId> ids = new ArrayList<>();
    for (int i = 0; i <= MembershipCodec.MAX_MEMBERS; i++) {
      ids.add(NodeId.of("m" + i));
    }
    Membership tooMany = Membership.ofVoters(ids);

    assertThrows(IllegalArgumentException.class, () -> store.save(0, 1, MEMBERS, out -> { }));
    assertThrows(IllegalArgumentException.class, () -> store.save(1, 0, MEMBERS, out -> { }));
    assertThrows(IllegalArgumentException.class, () -> store.save(1, 1, tooMany, out -> { }));
    assertThrows(IllegalArgumentException.class, () -> store.receive(0, 1));
    assertEquals(Optional.empty(), store.latest());
  }

  // ---- read -------------------------------------------------------------------------------

  @Test
  void readReturnsTheStoredBytesInChunksAndNothingAtTheEnd() throws Exception {
    SnapshotStorage store = open();
    SnapshotInfo saved = store.save(6, 2, MEMBERS, writing(randomState(10_000, 5)));
    byte[] whole = readStored(store, saved, Integer.MAX_VALUE);

    assertEquals(saved.sizeBytes(), whole.length);
    assertArrayEquals(whole, readStored(store, saved, 333));
    assertEquals(0, store.read(saved, saved.sizeBytes(), 100).length);
    assertEquals(0, store.read(saved, 10, 0).length);
    assertArrayEquals(Arrays.copyOfRange(whole, 100, 150), store.read(saved, 100, 50));
  }

  @Test
  void readOutsideTheSnapshotIsRefused() throws Exception {
    SnapshotStorage store = open();
    SnapshotInfo saved = store.save(6, 2, MEMBERS, writing(new byte[10]));

    assertThrows(IllegalArgumentException.class, () -> store.read(saved, -1, 10));
    assertThrows(IllegalArgumentException.class, () -> store.read(saved, saved.sizeBytes() + 1, 1));
    assertThrows(IllegalArgumentException.class, () -> store.read(saved, 0, -1));
  }

  @Test
  void aSnapshotThatWasNeverStoredIsReportedAsMissing() throws Exception {
    SnapshotStorage store = open();
    store.save(6, 2, MEMBERS, writing(new byte[10]));
    SnapshotInfo stranger = new SnapshotInfo(6, 3, MEMBERS, 60);

    assertThrows(StorageException.class, () -> store.read(stranger, 0, 10));
    assertThrows(StorageException.class, () -> store.openState(stranger));
  }

  // ---- receive ----------------------------------------------------------------------------

  @ParameterizedTest(name = "chunks of {0} bytes")
  @ValueSource(ints = {1, 7, 4096, 65_536, 1 << 20})
  void aSnapshotShippedInChunksArrivesWhole(int chunkSize) throws Exception {
    SnapshotStorage leader = open();
    SnapshotStorage follower = open();
    byte[] state = randomState(chunkSize == 1 ? 5_000 : 200_000, chunkSize);
    SnapshotInfo sent = leader.save(40, 4, MEMBERS, writing(state));

    SnapshotInfo received = ship(leader, sent, follower, chunkSize);

    assertEquals(sent, received);
    assertEquals(Optional.of(sent), follower.latest());
    assertArrayEquals(state, readState(follower, received));
    assertArrayEquals(readStored(leader, sent, 65_536), readStored(follower, received, 65_536));
  }

  @Test
  void aReceivedSnapshotSurvivesARestart() throws Exception {
    SnapshotStorage leader = open();
    SnapshotStorage follower = open();
    byte[] state = randomState(20_000, 6);
    SnapshotInfo sent = leader.save(40, 4, MEMBERS, writing(state));
    ship(leader, sent, follower, 1000);

    SnapshotStorage restarted = reopen(follower, 2);

    assertEquals(Optional.of(sent), restarted.latest());
    assertArrayEquals(state, readState(restarted, sent));
  }

  @Test
  void aReceivedNewerSnapshotBecomesLatestAndPrunesTheOldest() throws Exception {
    SnapshotStorage leader = open();
    SnapshotStorage follower = open();
    SnapshotInfo oldest = follower.save(1, 1, MEMBERS, writing(new byte[] {1}));
    follower.save(2, 1, MEMBERS, writing(new byte[] {2}));
    SnapshotInfo sent = leader.save(30, 3, MEMBERS, writing(new byte[] {30}));

    ship(leader, sent, follower, 16);

    assertEquals(Optional.of(sent), follower.latest());
    assertThrows(StorageException.class, () -> follower.openState(oldest));
  }

  @Test
  void receivingASnapshotThatIsAlreadyStoredKeepsIt() throws Exception {
    SnapshotStorage leader = open();
    SnapshotStorage follower = open();
    SnapshotInfo sent = leader.save(30, 3, MEMBERS, writing(new byte[] {30}));
    ship(leader, sent, follower, 16);

    SnapshotInfo again = ship(leader, sent, follower, 5);

    assertEquals(sent, again);
    assertArrayEquals(new byte[] {30}, readState(follower, again));
  }

  @Test
  void aChunkAtTheWrongOffsetIsRefusedAndTheTransferGoesOn() throws Exception {
    SnapshotStorage leader = open();
    SnapshotStorage follower = open();
    SnapshotInfo sent = leader.save(30, 3, MEMBERS, writing(randomState(1000, 7)));
    byte[] stored = readStored(leader, sent, Integer.MAX_VALUE);
    SnapshotReceiver receiver = follower.receive(30, 3);
    receiver.write(0, Arrays.copyOfRange(stored, 0, 100));

    assertThrows(IllegalArgumentException.class, () -> receiver.write(0, new byte[100]));
    assertThrows(IllegalArgumentException.class, () -> receiver.write(50, new byte[100]));
    assertThrows(IllegalArgumentException.class, () -> receiver.write(200, new byte[100]));
    assertEquals(100, receiver.received());

    receiver.write(100, Arrays.copyOfRange(stored, 100, stored.length));
    assertEquals(sent, receiver.commit());
  }

  @Test
  void aTruncatedTransferIsRejectedAtCommit() throws Exception {
    SnapshotStorage leader = open();
    SnapshotStorage follower = open();
    SnapshotInfo sent = leader.save(30, 3, MEMBERS, writing(randomState(1000, 8)));
    byte[] stored = readStored(leader, sent, Integer.MAX_VALUE);

    for (int length : new int[] {0, 1, 20, stored.length / 2, stored.length - 1}) {
      SnapshotReceiver receiver = receiveAll(follower, 30, 3,
          Arrays.copyOf(stored, length));
      StorageException e = assertThrows(StorageException.class, receiver::commit,
          "length " + length);
      assertTrue(e.getMessage().contains("30@3"), e.getMessage());
      assertThrows(IllegalStateException.class, () -> receiver.write(length, new byte[1]));
    }
    assertEquals(Optional.empty(), follower.latest());
  }

  @Test
  void flippedBitsAnywhereAreRejectedAtCommit() throws Exception {
    SnapshotStorage leader = open();
    SnapshotStorage follower = open();
    SnapshotInfo sent = leader.save(30, 3, MEMBERS, writing(randomState(1000, 9)));
    byte[] stored = readStored(leader, sent, Integer.MAX_VALUE);

    // The magic, the index, a member id, the state length, the state, the checksum.
    for (int at : new int[] {0, 8, 26, stored.length - 1010, stored.length / 2,
        stored.length - 1}) {
      for (int bit = 0; bit < 8; bit += 3) {
        byte[] damaged = stored.clone();
        damaged[at] ^= (byte) (1 << bit);
        SnapshotReceiver receiver = receiveAll(follower, 30, 3, damaged);
        StorageException e = assertThrows(StorageException.class, receiver::commit,
            "byte " + at + " bit " + bit);
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
      }
    }
    assertEquals(Optional.empty(), follower.latest());
  }

  @Test
  void extraBytesAfterTheSnapshotAreRejectedAtCommit() throws Exception {
    SnapshotStorage leader = open();
    SnapshotStorage follower = open();
    SnapshotInfo sent = leader.save(30, 3, MEMBERS, writing(randomState(1000, 10)));
    byte[] stored = readStored(leader, sent, Integer.MAX_VALUE);
    SnapshotReceiver receiver = receiveAll(follower, 30, 3, stored);
    receiver.write(stored.length, new byte[] {0});

    assertThrows(StorageException.class, receiver::commit);
    assertEquals(Optional.empty(), follower.latest());
  }

  @Test
  void aSnapshotAnnouncedWithAnotherIndexOrTermIsRejected() throws Exception {
    SnapshotStorage leader = open();
    SnapshotStorage follower = open();
    SnapshotInfo sent = leader.save(30, 3, MEMBERS, writing(randomState(1000, 11)));
    byte[] stored = readStored(leader, sent, Integer.MAX_VALUE);

    StorageException wrongIndex = assertThrows(StorageException.class,
        () -> receiveAll(follower, 31, 3, stored).commit());
    StorageException wrongTerm = assertThrows(StorageException.class,
        () -> receiveAll(follower, 30, 2, stored).commit());

    assertTrue(wrongIndex.getMessage().contains("received as 31@3")
        && wrongIndex.getMessage().contains("holds snapshot 30@3"), wrongIndex.getMessage());
    assertTrue(wrongTerm.getMessage().contains("received as 30@2"), wrongTerm.getMessage());
    assertEquals(Optional.empty(), follower.latest());
  }

  @Test
  void anUncommittedTransferIsInvisibleEvenAfterARestart() throws Exception {
    SnapshotStorage leader = open();
    SnapshotStorage follower = open();
    SnapshotInfo kept = follower.save(1, 1, MEMBERS, writing(new byte[] {1}));
    SnapshotInfo sent = leader.save(30, 3, MEMBERS, writing(randomState(1000, 12)));
    SnapshotReceiver receiver = receiveAll(follower, 30, 3,
        readStored(leader, sent, Integer.MAX_VALUE));

    assertEquals(Optional.of(kept), follower.latest());
    assertEquals(Optional.of(kept), reopen(follower, 2).latest());
    assertEquals(sent.sizeBytes(), receiver.received());
  }

  @Test
  void abortDiscardsTheTransferAndIsIdempotent() throws Exception {
    SnapshotStorage leader = open();
    SnapshotStorage follower = open();
    SnapshotInfo sent = leader.save(30, 3, MEMBERS, writing(randomState(1000, 13)));
    SnapshotReceiver receiver = receiveAll(follower, 30, 3,
        readStored(leader, sent, Integer.MAX_VALUE));

    receiver.abort();
    receiver.abort();

    assertThrows(IllegalStateException.class, receiver::commit);
    assertThrows(IllegalStateException.class, () -> receiver.write(0, new byte[1]));
    assertEquals(Optional.empty(), follower.latest());
    assertEquals(sent, ship(leader, sent, follower, 100), "a new transfer can start over");
  }

  @Test
  void aReceiverReportsWhatWasAnnounced() throws Exception {
    SnapshotReceiver receiver = open().receive(77, 5);

    assertEquals(77, receiver.index());
    assertEquals(5, receiver.term());
    assertEquals(0, receiver.received());
    receiver.abort();
  }

  // ---- threading --------------------------------------------------------------------------

  @Test
  void theLoopReadsWhileASaveIsInProgressWithoutWaitingForIt() throws Exception {
    SnapshotStorage store = open();
    SnapshotInfo old = store.save(1, 1, MEMBERS, writing(new byte[] {1}));
    CountDownLatch halfWritten = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    background = Executors.newSingleThreadExecutor();
    Future<SnapshotInfo> saving = background.submit(() -> store.save(2, 1, MEMBERS, out -> {
      out.write(new byte[200_000]);
      halfWritten.countDown();
      try {
        if (!release.await(1, TimeUnit.MINUTES)) {
          throw new IOException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      out.write(new byte[200_000]);
    }));
    assertTrue(halfWritten.await(1, TimeUnit.MINUTES));

    // The save is stuck in the middle of writing: none of these may wait for it.
    assertEquals(Optional.of(old), store.latest());
    assertArrayEquals(new byte[] {1}, readState(store, old));
    assertEquals(old.sizeBytes(), readStored(store, old, 10).length);
    SnapshotInfo shipped = ship(store, old, open(), 10);
    assertEquals(old, shipped);
    assertFalse(saving.isDone());

    release.countDown();
    SnapshotInfo saved = saving.get(1, TimeUnit.MINUTES);
    assertEquals(Optional.of(saved), store.latest());
    assertEquals(400_000, readState(store, saved).length);
  }

  @Test
  void backgroundSavesAndLoopReadsInterleaveSafely() throws Exception {
    SnapshotStorage store = open();
    int saves = 40;
    store.save(1, 1, MEMBERS, writing(stateOf(1)));
    background = Executors.newSingleThreadExecutor();
    Future<?> saving = background.submit(() -> {
      for (int i = 2; i <= saves; i++) {
        store.save(i, 1, MEMBERS, writing(stateOf(i)));
      }
      return null;
    });

    long lastSeen = 1;
    for (int round = 0; round < 100_000 && !(saving.isDone() && lastSeen == saves); round++) {
      SnapshotInfo latest = store.latest().orElseThrow();
      assertTrue(latest.index() >= lastSeen, "latest went back from " + lastSeen + " to "
          + latest.index());
      lastSeen = latest.index();
      try {
        assertArrayEquals(stateOf(latest.index()), readState(store, latest));
      } catch (StorageException pruned) {
        // Two newer saves can land between latest() and the read: then it is gone, as promised.
        assertTrue(store.latest().orElseThrow().index() >= latest.index() + 2,
            "pruned although not two newer: " + pruned.getMessage());
      }
    }
    saving.get(1, TimeUnit.MINUTES);
    assertEquals(saves, store.latest().orElseThrow().index());
  }

  private static byte[] stateOf(long index) {
    return randomState(5_000 + (int) index, index);
  }

  // ---- closing ----------------------------------------------------------------------------

  @Test
  void aClosedStoreRefusesUse() throws Exception {
    SnapshotStorage store = open();
    SnapshotInfo saved = store.save(1, 1, MEMBERS, writing(new byte[] {1}));
    store.close();
    store.close();

    assertThrows(IllegalStateException.class, store::latest);
    assertThrows(IllegalStateException.class, () -> store.openState(saved));
    assertThrows(IllegalStateException.class, () -> store.read(saved, 0, 1));
    assertThrows(IllegalStateException.class, () -> store.receive(2, 1));
    assertThrows(IllegalStateException.class, () -> store.save(2, 1, MEMBERS, out -> { }));
  }
}
