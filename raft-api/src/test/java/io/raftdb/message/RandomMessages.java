package io.raftdb.message;

import io.raftdb.NodeId;
import io.raftdb.ReadConsistency;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random messages and entries that reach the edges of every field the codec accepts:
 * group ids take any long, terms, indexes, offsets and rounds any non-negative long, and entry
 * lists are runs a leader could send (see {@link EntryRunReader}).
 */
final class RandomMessages {
  private static final String ID_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";
  private static final long[] EDGES = {0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE,
      1L << 56, (1L << 63) - 1, -1, Long.MIN_VALUE};

  private final Random random;

  RandomMessages(long seed) {
    this.random = new Random(seed);
  }

  RaftMessage message() {
    long group = anyLong();
    NodeId from = nodeId();
    long term = nonNegativeLong();
    switch (random.nextInt(10)) {
      case 0:
        return new RequestVote(group, from, term, nonNegativeLong(), nonNegativeLong(),
            random.nextBoolean(), random.nextBoolean());
      case 1:
        return new RequestVoteResponse(group, from, term, random.nextBoolean(),
            random.nextBoolean());
      case 2: {
        long entryTerm = Math.max(1, term);
        List<LogEntry> entries = term == 0 ? List.of() : entries(entryTerm);
        long prevLogIndex = random.nextInt(4) == 0 ? nonNegativeLong() : random.nextInt(100_000);
        prevLogIndex = Math.min(prevLogIndex, Long.MAX_VALUE - entries.size());
        return new AppendEntries(group, from, term, prevLogIndex, nonNegativeLong(),
            nonNegativeLong(), nonNegativeLong(), renumber(entries, prevLogIndex + 1));
      }
      case 3:
        return new AppendEntriesResponse(group, from, term, random.nextBoolean(),
            nonNegativeLong(), nonNegativeLong(), nonNegativeLong(), nonNegativeLong());
      case 4: {
        long snapshotTerm = Math.min(positiveLong(), Math.max(1, term));
        byte[] chunk = snapshotChunk();
        long offset = Math.min(nonNegativeLong(), Long.MAX_VALUE - chunk.length);
        return new InstallSnapshot(group, from, Math.max(1, term), positiveLong(), snapshotTerm,
            offset, chunk, random.nextBoolean());
      }
      case 5:
        return new InstallSnapshotResponse(group, from, term, nonNegativeLong(),
            nonNegativeLong(), random.nextBoolean());
      case 6:
        return random.nextBoolean()
            ? new ReadIndexRequest(group, from, term, nonNegativeLong(), random.nextBoolean())
            : random.nextBoolean()
                ? new ReadIndexResponse(group, from, term, nonNegativeLong(), true, positiveLong())
                : new ReadIndexResponse(group, from, term, nonNegativeLong(), false, 0);
      case 7:
        return clientRequest(group, from);
      case 8:
        return clientReply(group, from);
      default:
        return new TimeoutNow(group, from, term);
    }
  }

  private ClientRequest clientRequest(long group, NodeId from) {
    long callId = nonNegativeLong();
    switch (random.nextInt(6)) {
      case 0:
        return ClientRequest.register(group, from, callId);
      case 5: {
        long sequence = positiveLong();
        return ClientRequest.commands(group, from, callId, positiveLong(), sequence,
            Math.min(sequence, nonNegativeLong()),
            CommandBatch.encodeCommands(java.util.List.of(snapshotChunk(), snapshotChunk())));
      }
      case 1: {
        long sequence = positiveLong();
        long acked = Math.min(sequence, nonNegativeLong());
        return ClientRequest.command(group, from, callId, positiveLong(), sequence, acked,
            snapshotChunk());
      }
      case 2:
        return ClientRequest.query(group, from, callId,
            ReadConsistency.values()[random.nextInt(3)], snapshotChunk());
      case 3:
        return ClientRequest.keepAlive(group, from, callId, positiveLong(), nonNegativeLong());
      default:
        return ClientRequest.closeSession(group, from, callId, positiveLong());
    }
  }

  private ClientReply clientReply(long group, NodeId from) {
    long callId = nonNegativeLong();
    switch (random.nextInt(4)) {
      case 0:
        return ClientReply.ok(group, from, callId, snapshotChunk());
      case 1:
        return ClientReply.registered(group, from, callId, positiveLong());
      case 2:
        return ClientReply.notLeader(group, from, callId,
            random.nextBoolean() ? null : nodeId());
      default:
        return ClientReply.error(group, from, callId, ClientReply.Status.values()[
            1 + random.nextInt(ClientReply.Status.values().length - 1)], "why " + callId);
    }
  }

  /** Empty now and then (a final chunk may carry nothing), mostly small, sometimes large. */
  byte[] snapshotChunk() {
    int size;
    switch (random.nextInt(4)) {
      case 0:
        size = 0;
        break;
      case 1:
        size = random.nextInt(70_000);
        break;
      default:
        size = random.nextInt(200);
    }
    byte[] chunk = new byte[size];
    random.nextBytes(chunk);
    return chunk;
  }

  NodeId nodeId() {
    int length = random.nextInt(4) == 0 ? NodeId.MAX_LENGTH : 1 + random.nextInt(NodeId.MAX_LENGTH);
    StringBuilder id = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
    }
    return NodeId.of(id.toString());
  }

  /** Entries of terms 1..maxTerm that never decrease; their indexes are renumbered later. */
  private List<LogEntry> entries(long maxTerm) {
    int count = random.nextInt(3) == 0 ? 0 : random.nextInt(20);
    List<Long> terms = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      terms.add(1 + (positiveLong() - 1) % maxTerm);
    }
    terms.sort(null);
    List<LogEntry> entries = new ArrayList<>(count);
    for (long term : terms) {
      LogEntry e = entry();
      entries.add(new LogEntry(e.index(), term, e.kind(), e.payload()));
    }
    return entries;
  }

  private static List<LogEntry> renumber(List<LogEntry> entries, long firstIndex) {
    List<LogEntry> out = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      LogEntry e = entries.get(i);
      out.add(new LogEntry(firstIndex + i, e.term(), e.kind(), e.payload()));
    }
    return out;
  }

  LogEntry entry() {
    long index = positiveLong();
    long term = positiveLong();
    if (random.nextInt(5) == 0) {
      return LogEntry.noOp(index, term);
    }
    int size = random.nextInt(10) == 0 ? random.nextInt(5_000) : random.nextInt(64);
    byte[] payload = new byte[size];
    random.nextBytes(payload);
    return LogEntry.command(index, term, payload);
  }

  /** Small values most of the time, varint boundaries and extremes (negatives too) often. */
  long anyLong() {
    switch (random.nextInt(3)) {
      case 0:
        return random.nextInt(1_000);
      case 1:
        return EDGES[random.nextInt(EDGES.length)];
      default:
        return random.nextLong();
    }
  }

  /** A term, index, offset or round: at least 0. */
  long nonNegativeLong() {
    return anyLong() & Long.MAX_VALUE;
  }

  /** A valid log index or term: at least 1. */
  long positiveLong() {
    long value = anyLong();
    return value >= 1 ? value : 1 + (value & Long.MAX_VALUE) % 1_000_000;
  }
}
