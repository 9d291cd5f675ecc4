package io.raftdb.core.protocol;

import io.raftdb.NodeId;
import io.raftdb.message.AppendEntries;
import io.raftdb.message.AppendEntriesResponse;
import io.raftdb.message.EntryKind;
import io.raftdb.message.InstallSnapshot;
import io.raftdb.message.InstallSnapshotResponse;
import io.raftdb.message.LogEntry;
import io.raftdb.message.RaftMessage;
import io.raftdb.message.RequestVote;
import io.raftdb.message.RequestVoteResponse;
import io.raftdb.message.TimeoutNow;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes well-formed but hostile messages for one receiver: a real message with fields replaced
 * by edge values, of another type, from another sender, with damaged entries or flipped flags;
 * or a fresh message of any type built from edge values.
 *
 * <p>Edge values are chosen relative to what the receiver knows (its term, last index and commit
 * index, each ±1), plus the values that break arithmetic (-1, 0, 1, 2^31, 2^40,
 * {@code Long.MAX_VALUE}, {@code Long.MIN_VALUE}) and random longs. Whether the codec lets a
 * message through is not this class's concern: the caller round-trips it.
 */
final class MessageMutator {
  /** What the receiver knows, for values that sit just inside or outside its state. */
  record Receiver(NodeId id, long term, long lastIndex, long commitIndex) {}

  private static final long[] FIXED_EDGES = {-1, 0, 1, 2, 1L << 31, 1L << 40, Long.MAX_VALUE,
      Long.MAX_VALUE - 1, Long.MIN_VALUE};

  private final SplittableRandom random;
  private final List<NodeId> members;
  private final long groupId;

  MessageMutator(SplittableRandom random, List<NodeId> members, long groupId) {
    this.random = random;
    this.members = members;
    this.groupId = groupId;
  }

  /** A hostile message for {@code to}: a mutation of {@code real} if given, else a fresh one. */
  RaftMessage next(RaftMessage real, Receiver to) {
    RaftMessage m = real == null || random.nextInt(4) == 0 ? fresh(to) : real;
    int mutations = 1 + random.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      m = mutate(m, to);
    }
    return m;
  }

  private RaftMessage mutate(RaftMessage m, Receiver to) {
    switch (random.nextInt(8)) {
      case 0:
        return withSender(m, otherMember(to.id()));
      case 1:
        return swapType(m, to);
      case 2:
        return withTerm(m, edge(to));
      case 3:
        return flipFlags(m);
      default:
        return replaceField(m, to);
    }
  }

  /**
   * An edge value: half the time relative to the receiver (so that it gets past the checks that
   * absurd values fail early), else a fixed extreme or a random long.
   */
  long edge(Receiver to) {
    switch (random.nextInt(8)) {
      case 0:
      case 1:
        return to.term() - 1 + random.nextInt(3);
      case 2:
        return to.lastIndex() - 1 + random.nextInt(3);
      case 3:
        return to.commitIndex() - 1 + random.nextInt(3);
      case 4:
        return random.nextLong();
      default:
        return FIXED_EDGES[random.nextInt(FIXED_EDGES.length)];
    }
  }

  /** A small non-negative value near the receiver's state, as honest messages carry. */
  private long near(Receiver to) {
    return Math.max(0, edge(to) & 0xFFFF) % (to.lastIndex() + 3);
  }

  private NodeId otherMember(NodeId not) {
    NodeId pick = members.get(random.nextInt(members.size()));
    // Now and then the receiver itself or a stranger: both must be ignored.
    if (pick.equals(not) && random.nextInt(4) != 0) {
      return members.get((members.indexOf(pick) + 1) % members.size());
    }
    return random.nextInt(50) == 0 ? NodeId.of("stranger") : pick;
  }

  private RaftMessage fresh(Receiver to) {
    NodeId from = otherMember(to.id());
    long term = random.nextBoolean() ? to.term() + random.nextInt(2) : edge(to);
    long index = random.nextBoolean() ? near(to) : edge(to);
    switch (random.nextInt(7)) {
      case 0:
        return new RequestVote(groupId, from, term, index, edge(to), random.nextBoolean(),
            random.nextBoolean());
      case 1:
        return new RequestVoteResponse(groupId, from, term, random.nextBoolean(),
            random.nextBoolean());
      case 2:
        return new AppendEntries(groupId, from, term, index, random.nextBoolean() ? term : edge(to),
            edge(to), edge(to), entries(index, term));
      case 3:
        return new AppendEntriesResponse(groupId, from, term, random.nextBoolean(), edge(to),
            edge(to), edge(to), random.nextInt(5) == 0 ? edge(to) : random.nextInt(20));
      case 4:
        return new InstallSnapshot(groupId, from, term, edge(to), edge(to), edge(to),
            new byte[random.nextInt(4)], random.nextBoolean());
      case 5:
        return new InstallSnapshotResponse(groupId, from, term, edge(to), edge(to),
            random.nextBoolean());
      default:
        return new TimeoutNow(groupId, from, term);
    }
  }

  /** Entries after {@code prev}: mostly a proper run, sometimes not. */
  private List<LogEntry> entries(long prev, long term) {
    int count = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(5);
    List<LogEntry> out = new ArrayList<>(count);
    long t = Math.max(1, Math.min(term, 1 + random.nextInt(3)));
    for (int i = 0; i < count; i++) {
      long index = indexAfter(prev, i);
      out.add(LogEntry.command(index, Math.max(1, t), new byte[] {(byte) random.nextInt()}));
    }
    return out;
  }

  /**
   * Index {@code prev + 1 + i}, or {@code 1 + i} where that would be below 1 or overflow:
   * {@link LogEntry} itself refuses such indexes, so no message could carry them.
   */
  private static long indexAfter(long prev, int i) {
    return prev >= 0 && prev < Long.MAX_VALUE - 1 - i ? prev + 1 + i : 1 + i;
  }

  private RaftMessage withSender(RaftMessage m, NodeId from) {
    if (m instanceof AppendEntries a) {
      return new AppendEntries(a.groupId(), from, a.term(), a.prevLogIndex(), a.prevLogTerm(),
          a.leaderCommit(), a.round(), a.entries());
    } else if (m instanceof AppendEntriesResponse r) {
      return new AppendEntriesResponse(r.groupId(), from, r.term(), r.success(), r.matchIndex(),
          r.conflictTerm(), r.conflictIndex(), r.round());
    } else if (m instanceof RequestVote v) {
      return new RequestVote(v.groupId(), from, v.term(), v.lastLogIndex(), v.lastLogTerm(),
          v.preVote(), v.leadershipTransfer());
    } else if (m instanceof RequestVoteResponse r) {
      return new RequestVoteResponse(r.groupId(), from, r.term(), r.granted(), r.preVote());
    } else if (m instanceof InstallSnapshot s) {
      return new InstallSnapshot(s.groupId(), from, s.term(), s.snapshotIndex(), s.snapshotTerm(),
          s.offset(), s.data(), s.done());
    } else if (m instanceof InstallSnapshotResponse r) {
      return new InstallSnapshotResponse(r.groupId(), from, r.term(), r.snapshotIndex(),
          r.nextOffset(), r.done());
    }
    return new TimeoutNow(m.groupId(), from, m.term());
  }

  private RaftMessage withTerm(RaftMessage m, long term) {
    long[] f = fields(m);
    f[0] = term;
    return rebuild(m, f, m.from());
  }

  /** The same sender, term and numbers, as a message of another type. */
  private RaftMessage swapType(RaftMessage m, Receiver to) {
    long[] f = fields(m);
    NodeId from = m.from();
    boolean flag = random.nextBoolean();
    long a = f.length > 1 ? f[1] : near(to);
    long b = f.length > 2 ? f[2] : edge(to);
    long c = f.length > 3 ? f[3] : edge(to);
    switch (random.nextInt(7)) {
      case 0:
        return new RequestVote(groupId, from, f[0], a, b, flag, random.nextBoolean());
      case 1:
        return new RequestVoteResponse(groupId, from, f[0], true, flag);
      case 2:
        return new AppendEntries(groupId, from, f[0], a, b, c, random.nextInt(20),
            m instanceof AppendEntries ae ? ae.entries() : entries(a, f[0]));
      case 3:
        return new AppendEntriesResponse(groupId, from, f[0], flag, a, b, c, random.nextInt(20));
      case 4:
        return new InstallSnapshot(groupId, from, f[0], a, b, c, new byte[1], flag);
      case 5:
        return new InstallSnapshotResponse(groupId, from, f[0], a, b, flag);
      default:
        return new TimeoutNow(groupId, from, f[0]);
    }
  }

  private RaftMessage flipFlags(RaftMessage m) {
    if (m instanceof AppendEntriesResponse r) {
      return new AppendEntriesResponse(r.groupId(), r.from(), r.term(), !r.success(),
          r.matchIndex(), r.conflictTerm(), r.conflictIndex(), r.round());
    } else if (m instanceof RequestVote v) {
      return new RequestVote(v.groupId(), v.from(), v.term(), v.lastLogIndex(), v.lastLogTerm(),
          random.nextBoolean(), random.nextBoolean());
    } else if (m instanceof RequestVoteResponse r) {
      return new RequestVoteResponse(r.groupId(), r.from(), r.term(), !r.granted(),
          random.nextBoolean());
    } else if (m instanceof InstallSnapshot s) {
      return new InstallSnapshot(s.groupId(), s.from(), s.term(), s.snapshotIndex(),
          s.snapshotTerm(), s.offset(), s.data(), !s.done());
    } else if (m instanceof InstallSnapshotResponse r) {
      return new InstallSnapshotResponse(r.groupId(), r.from(), r.term(), r.snapshotIndex(),
          r.nextOffset(), !r.done());
    } else if (m instanceof AppendEntries a) {
      return withEntries(a, damagedEntries(a));
    }
    return m;
  }

  /** One numeric field (or, for AppendEntries, the entry list) replaced. */
  private RaftMessage replaceField(RaftMessage m, Receiver to) {
    if (m instanceof AppendEntries a && random.nextInt(3) == 0) {
      return withEntries(a, damagedEntries(a));
    }
    long[] f = fields(m);
    f[random.nextInt(f.length)] = edge(to);
    return rebuild(m, f, m.from());
  }

  private List<LogEntry> damagedEntries(AppendEntries a) {
    List<LogEntry> entries = new ArrayList<>(a.entries());
    switch (random.nextInt(6)) {
      case 0:
        return List.of();
      case 1: // a gap
        if (entries.size() > 2) {
          entries.remove(1);
        }
        return entries;
      case 2: // a repeat
        if (!entries.isEmpty()) {
          entries.add(entries.get(entries.size() - 1));
        }
        return entries;
      case 3: { // shifted indexes
        long shift = random.nextBoolean() ? 1 : -1;
        List<LogEntry> out = new ArrayList<>();
        for (LogEntry e : entries) {
          // (MAX + 1 wraps to below 1, hence the max)
          long index = Math.max(1, e.index() + shift);
          out.add(new LogEntry(index, e.term(), e.kind(), e.payload()));
        }
        return out;
      }
      case 4: { // one term changed: above the message's, or decreasing
        if (entries.isEmpty()) {
          return entries;
        }
        int i = random.nextInt(entries.size());
        LogEntry e = entries.get(i);
        long term = random.nextBoolean() ? a.term() + 1 : Math.max(1, e.term() - 1);
        entries.set(i, new LogEntry(e.index(), Math.max(1, term), e.kind(), e.payload()));
        return entries;
      }
      default: // fresh entries that conflict with whatever is there
        List<LogEntry> out = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
          out.add(new LogEntry(indexAfter(a.prevLogIndex(), i), Math.max(1, a.term()),
              EntryKind.COMMAND, new byte[] {42}));
        }
        return out;
    }
  }

  private static AppendEntries withEntries(AppendEntries a, List<LogEntry> entries) {
    return new AppendEntries(a.groupId(), a.from(), a.term(), a.prevLogIndex(), a.prevLogTerm(),
        a.leaderCommit(), a.round(), entries);
  }

  /** The message's numbers: term first, then the type's own fields in declaration order. */
  private static long[] fields(RaftMessage m) {
    if (m instanceof AppendEntries a) {
      return new long[] {a.term(), a.prevLogIndex(), a.prevLogTerm(), a.leaderCommit(),
          a.round()};
    } else if (m instanceof AppendEntriesResponse r) {
      return new long[] {r.term(), r.matchIndex(), r.conflictTerm(), r.conflictIndex(),
          r.round()};
    } else if (m instanceof RequestVote v) {
      return new long[] {v.term(), v.lastLogIndex(), v.lastLogTerm()};
    } else if (m instanceof InstallSnapshot s) {
      return new long[] {s.term(), s.snapshotIndex(), s.snapshotTerm(), s.offset()};
    } else if (m instanceof InstallSnapshotResponse r) {
      return new long[] {r.term(), r.snapshotIndex(), r.nextOffset()};
    }
    return new long[] {m.term()};
  }

  private static RaftMessage rebuild(RaftMessage m, long[] f, NodeId from) {
    if (m instanceof AppendEntries a) {
      return new AppendEntries(a.groupId(), from, f[0], f[1], f[2], f[3], f[4], a.entries());
    } else if (m instanceof AppendEntriesResponse r) {
      return new AppendEntriesResponse(r.groupId(), from, f[0], r.success(), f[1], f[2], f[3],
          f[4]);
    } else if (m instanceof RequestVote v) {
      return new RequestVote(v.groupId(), from, f[0], f[1], f[2], v.preVote(),
          v.leadershipTransfer());
    } else if (m instanceof RequestVoteResponse r) {
      return new RequestVoteResponse(r.groupId(), from, f[0], r.granted(), r.preVote());
    } else if (m instanceof InstallSnapshot s) {
      return new InstallSnapshot(s.groupId(), from, f[0], f[1], f[2], f[3], s.data(), s.done());
    } else if (m instanceof InstallSnapshotResponse r) {
      return new InstallSnapshotResponse(r.groupId(), from, f[0], f[1], f[2], r.done());
    }
    return new TimeoutNow(m.groupId(), from, f[0]);
  }
}
