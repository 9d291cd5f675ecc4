package io.raftdb.sim.scenario;

import io.raftdb.NodeId;
import io.raftdb.message.AppendEntries;
import io.raftdb.message.AppendEntriesResponse;
import io.raftdb.message.CodecException;
import io.raftdb.message.InstallSnapshot;
import io.raftdb.message.InstallSnapshotResponse;
import io.raftdb.message.LogEntry;
import io.raftdb.message.RaftMessage;
import io.raftdb.message.RequestVote;
import io.raftdb.message.RequestVoteResponse;
import io.raftdb.message.TimeoutNow;
import io.raftdb.sim.SimNetwork;
import io.raftdb.sim.SimTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An extra endpoint on the {@link SimNetwork} that is no member but sends messages in members'
 * names: copies of real messages it overheard (through a {@link TappedTransport.Tap}) with
 * numbers replaced by edge values, flags flipped, entries damaged, or fresh messages of any type.
 * The network encodes and decodes everything it carries, so the codec filters these exactly as it
 * would a real peer's frames; what it refuses is counted, not sent.
 *
 * <p>Threading: {@link #overhear} is called on the nodes' threads, {@link #sendOne} on the
 * test's.
 */
final class HostilePeer implements AutoCloseable {
  private static final long[] EDGES = {-1, 0, 1, 2, 1L << 31, 1L << 40, Long.MAX_VALUE,
      Long.MIN_VALUE};
  private static final int OVERHEARD = 256;

  private final SimTransport transport;
  private final List<NodeId> members;
  private final Random random;
  private final AtomicReferenceArray<RaftMessage> overheard =
      new AtomicReferenceArray<>(OVERHEARD);
  private long overheardCount;
  private long sent;
  private long refusedByCodec;

  HostilePeer(SimNetwork network, List<NodeId> members, long seed) {
    this.transport = network.transport(NodeId.of("mallory"));
    this.transport.start(message -> { }); // answers to mallory are of no interest
    this.members = List.copyOf(members);
    this.random = new Random(seed);
  }

  /** A tap that lets everything through and keeps a copy for later mutation. */
  TappedTransport.Tap tap() {
    return (from, to, message) -> {
      long slot;
      synchronized (this) {
        slot = overheardCount++;
      }
      overheard.set((int) (slot % OVERHEARD), message);
      return true;
    };
  }

  /** Sends one hostile message to a member; {@code term} is about the group's current term. */
  void sendOne(long term, long index) {
    NodeId to = members.get(random.nextInt(members.size()));
    RaftMessage base = overheard.get(random.nextInt(OVERHEARD));
    RaftMessage m = base == null || random.nextInt(4) == 0 ? fresh(term, index) : base;
    m = mutate(m, term, index);
    try {
      transport.send(to, m);
      sent++;
    } catch (CodecException refused) {
      refusedByCodec++; // the network decodes before delivering: a receiver would refuse it too
    }
  }

  long sent() {
    return sent;
  }

  long refusedByCodec() {
    return refusedByCodec;
  }

  private long edge(long term, long index) {
    switch (random.nextInt(6)) {
      case 0:
        return term - 1 + random.nextInt(3);
      case 1:
        return index - 1 + random.nextInt(3);
      case 2:
        return random.nextLong();
      default:
        return EDGES[random.nextInt(EDGES.length)];
    }
  }

  private NodeId member() {
    return members.get(random.nextInt(members.size()));
  }

  private RaftMessage fresh(long term, long index) {
    NodeId from = member();
    long t = term + random.nextInt(2);
    switch (random.nextInt(7)) {
      case 0:
        return new RequestVote(0, from, t, index, term, random.nextBoolean(), random.nextBoolean());
      case 1:
        return new RequestVoteResponse(0, from, t, true, random.nextBoolean());
      case 2:
        return new AppendEntries(0, from, t, index, term, index, 1, entries(index, t));
      case 3:
        return new AppendEntriesResponse(0, from, t, random.nextBoolean(), index + 1, 0, 0, 1);
      case 4:
        return new InstallSnapshot(0, from, t, Math.max(1, index), Math.max(1, term), 0,
            new byte[8], random.nextBoolean());
      case 5:
        return new InstallSnapshotResponse(0, from, t, Math.max(1, index), 8, true);
      default:
        return new TimeoutNow(0, from, t);
    }
  }

  private List<LogEntry> entries(long prev, long term) {
    List<LogEntry> out = new ArrayList<>();
    if (prev < 0 || prev > Long.MAX_VALUE - 8 || term < 1) {
      return out;
    }
    for (int i = 0; i < random.nextInt(4); i++) {
      out.add(LogEntry.command(prev + 1 + i, term, new byte[] {(byte) i}));
    }
    return out;
  }

  /** One or two numbers replaced by edge values, the sender changed, or flags flipped. */
  private RaftMessage mutate(RaftMessage m, long term, long index) {
    NodeId from = random.nextInt(3) == 0 ? member() : m.from();
    long e1 = edge(term, index);
    long e2 = edge(term, index);
    boolean flip = random.nextBoolean();
    int which = random.nextInt(4);
    long t = which == 0 ? e1 : m.term();
    if (m instanceof AppendEntries a) {
      List<LogEntry> entries = random.nextInt(4) == 0 ? damaged(a.entries()) : a.entries();
      return new AppendEntries(0, from, t, which == 1 ? e1 : a.prevLogIndex(),
          which == 2 ? e1 : a.prevLogTerm(), which == 3 ? e2 : a.leaderCommit(), a.round(),
          entries);
    } else if (m instanceof AppendEntriesResponse r) {
      return new AppendEntriesResponse(0, from, t, flip != r.success(),
          which == 1 ? e1 : r.matchIndex(), which == 2 ? e1 : r.conflictTerm(),
          which == 3 ? e2 : r.conflictIndex(), r.round());
    } else if (m instanceof RequestVote v) {
      return new RequestVote(0, from, t, which == 1 ? e1 : v.lastLogIndex(),
          which == 2 ? e1 : v.lastLogTerm(), flip, random.nextBoolean());
    } else if (m instanceof RequestVoteResponse r) {
      return new RequestVoteResponse(0, from, t, flip != r.granted(), random.nextBoolean());
    } else if (m instanceof InstallSnapshot s) {
      return new InstallSnapshot(0, from, t, which == 1 ? e1 : s.snapshotIndex(),
          which == 2 ? e1 : s.snapshotTerm(), which == 3 ? e2 : s.offset(), s.data(),
          flip != s.done());
    } else if (m instanceof InstallSnapshotResponse r) {
      return new InstallSnapshotResponse(0, from, t, which == 1 ? e1 : r.snapshotIndex(),
          which == 2 ? e1 : r.nextOffset(), flip != r.done());
    }
    return new TimeoutNow(0, from, t);
  }

  /** A gap, a repeat or an empty list. */
  private List<LogEntry> damaged(List<LogEntry> entries) {
    List<LogEntry> out = new ArrayList<>(entries);
    if (out.size() > 2 && random.nextBoolean()) {
      out.remove(1);
    } else if (!out.isEmpty() && random.nextBoolean()) {
      out.add(out.get(0));
    } else {
      out.clear();
    }
    return out;
  }

  @Override
  public void close() {
    transport.close();
  }
}
