package io.raftdb.message;

import io.raftdb.NodeId;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The body layout of each message type, between a frame's header and its checksum (see
 * {@link MessageCodec} for the frame). Longs are unsigned LEB128 varints, because terms, indexes
 * and group ids are small in practice; booleans share one flags byte per message.
 *
 * <pre>
 * every body     groupId from term ...
 * RequestVote    ... lastLogIndex lastLogTerm flags(1 preVote, 2 leadershipTransfer)
 * VoteResponse   ... flags(1 granted, 2 preVote)
 * AppendEntries  ... prevLogIndex prevLogTerm leaderCommit round count entry-body*
 * AppendResponse ... flags(1 success) matchIndex conflictTerm conflictIndex round
 * TimeoutNow     (nothing more)
 * InstallSnap    ... snapshotIndex snapshotTerm offset flags(1 done) dataLength data
 * InstallResp    ... snapshotIndex nextOffset flags(1 done)
 * </pre>
 *
 * Terms, indexes, offsets and rounds must not be negative, and the entries of an AppendEntries
 * must form a run a leader could send (see {@link EntryRunReader}): these are checked as they are
 * read, because they hold whatever the receiver's state.
 *
 * <p>Entries use {@link LogEntryCodec}'s body without its version byte and checksum: the frame's
 * checksum covers them. A snapshot chunk's data is opaque here (a slice of the stored snapshot,
 * which carries its own checksum end to end); its length is bounded by the frame like any other.
 */
final class MessageBodies {
  static final int TYPE_REQUEST_VOTE = 1;
  static final int TYPE_REQUEST_VOTE_RESPONSE = 2;
  static final int TYPE_APPEND_ENTRIES = 3;
  static final int TYPE_APPEND_ENTRIES_RESPONSE = 4;
  static final int TYPE_TIMEOUT_NOW = 5;
  static final int TYPE_INSTALL_SNAPSHOT = 6;
  static final int TYPE_INSTALL_SNAPSHOT_RESPONSE = 7;

  private static final int PRE_VOTE = 1;
  private static final int LEADERSHIP_TRANSFER = 2;
  private static final int GRANTED = 1;
  private static final int RESPONSE_PRE_VOTE = 2;
  private static final int SUCCESS = 1;
  private static final int DONE = 1;

  private MessageBodies() {}

  /** The type byte of the message. */
  static int typeOf(RaftMessage message) {
    if (message instanceof AppendEntries) {
      return TYPE_APPEND_ENTRIES;
    } else if (message instanceof AppendEntriesResponse) {
      return TYPE_APPEND_ENTRIES_RESPONSE;
    } else if (message instanceof RequestVote) {
      return TYPE_REQUEST_VOTE;
    } else if (message instanceof RequestVoteResponse) {
      return TYPE_REQUEST_VOTE_RESPONSE;
    } else if (message instanceof TimeoutNow) {
      return TYPE_TIMEOUT_NOW;
    } else if (message instanceof InstallSnapshot) {
      return TYPE_INSTALL_SNAPSHOT;
    } else if (message instanceof InstallSnapshotResponse) {
      return TYPE_INSTALL_SNAPSHOT_RESPONSE;
    }
    throw new IllegalArgumentException("no wire type for " + message.getClass().getName());
  }

  /** The exact body size; a long because a huge entry list could overflow an int. */
  static long size(RaftMessage m) {
    long size = WireWriter.varLongSize(m.groupId()) + WireWriter.nodeIdSize(m.from())
        + WireWriter.varLongSize(m.term());
    if (m instanceof AppendEntries a) {
      size += WireWriter.varLongSize(a.prevLogIndex()) + WireWriter.varLongSize(a.prevLogTerm())
          + WireWriter.varLongSize(a.leaderCommit()) + WireWriter.varLongSize(a.round())
          + WireWriter.varLongSize(a.entries().size());
      for (LogEntry entry : a.entries()) {
        size += LogEntryCodec.bodySize(entry);
      }
    } else if (m instanceof AppendEntriesResponse r) {
      size += 1 + WireWriter.varLongSize(r.matchIndex())
          + WireWriter.varLongSize(r.conflictTerm()) + WireWriter.varLongSize(r.conflictIndex())
          + WireWriter.varLongSize(r.round());
    } else if (m instanceof RequestVote v) {
      size += WireWriter.varLongSize(v.lastLogIndex()) + WireWriter.varLongSize(v.lastLogTerm())
          + 1;
    } else if (m instanceof RequestVoteResponse) {
      size += 1;
    } else if (m instanceof InstallSnapshot s) {
      int dataLength = s.data().length;
      size += WireWriter.varLongSize(s.snapshotIndex()) + WireWriter.varLongSize(s.snapshotTerm())
          + WireWriter.varLongSize(s.offset()) + 1 + WireWriter.varLongSize(dataLength)
          + dataLength;
    } else if (m instanceof InstallSnapshotResponse r) {
      size += WireWriter.varLongSize(r.snapshotIndex()) + WireWriter.varLongSize(r.nextOffset())
          + 1;
    }
    return size;
  }

  /** Writes the body; {@code out} must have {@link #size} bytes left. */
  static void write(RaftMessage m, ByteBuffer out) {
    WireWriter.putVarLong(out, m.groupId());
    WireWriter.putNodeId(out, m.from());
    WireWriter.putVarLong(out, m.term());
    if (m instanceof AppendEntries a) {
      WireWriter.putVarLong(out, a.prevLogIndex());
      WireWriter.putVarLong(out, a.prevLogTerm());
      WireWriter.putVarLong(out, a.leaderCommit());
      WireWriter.putVarLong(out, a.round());
      List<LogEntry> entries = a.entries();
      WireWriter.putVarLong(out, entries.size());
      for (int i = 0; i < entries.size(); i++) {
        LogEntryCodec.writeBody(entries.get(i), out);
      }
    } else if (m instanceof AppendEntriesResponse r) {
      out.put((byte) (r.success() ? SUCCESS : 0));
      WireWriter.putVarLong(out, r.matchIndex());
      WireWriter.putVarLong(out, r.conflictTerm());
      WireWriter.putVarLong(out, r.conflictIndex());
      WireWriter.putVarLong(out, r.round());
    } else if (m instanceof RequestVote v) {
      WireWriter.putVarLong(out, v.lastLogIndex());
      WireWriter.putVarLong(out, v.lastLogTerm());
      out.put((byte) ((v.preVote() ? PRE_VOTE : 0)
          | (v.leadershipTransfer() ? LEADERSHIP_TRANSFER : 0)));
    } else if (m instanceof RequestVoteResponse r) {
      out.put((byte) ((r.granted() ? GRANTED : 0) | (r.preVote() ? RESPONSE_PRE_VOTE : 0)));
    } else if (m instanceof InstallSnapshot s) {
      WireWriter.putVarLong(out, s.snapshotIndex());
      WireWriter.putVarLong(out, s.snapshotTerm());
      WireWriter.putVarLong(out, s.offset());
      out.put((byte) (s.done() ? DONE : 0));
      WireWriter.putVarLong(out, s.data().length);
      out.put(s.data());
    } else if (m instanceof InstallSnapshotResponse r) {
      WireWriter.putVarLong(out, r.snapshotIndex());
      WireWriter.putVarLong(out, r.nextOffset());
      out.put((byte) (r.done() ? DONE : 0));
    }
  }

  /**
   * Reads a body of the given type. The caller checks that the body was consumed exactly;
   * {@code typeAt} locates the type byte for the error about an unknown one.
   */
  static RaftMessage read(int type, int typeAt, WireReader in) {
    if (type < TYPE_REQUEST_VOTE || type > TYPE_INSTALL_SNAPSHOT_RESPONSE) {
      throw in.error(typeAt, "unknown message type " + type);
    }
    long groupId = in.readVarLong("groupId");
    NodeId from = in.readNodeId("from");
    long term = in.readNonNegativeVarLong("term");
    switch (type) {
      case TYPE_REQUEST_VOTE: {
        long lastLogIndex = in.readNonNegativeVarLong("lastLogIndex");
        long lastLogTerm = in.readNonNegativeVarLong("lastLogTerm");
        int flags = in.readFlags("RequestVote flags", PRE_VOTE | LEADERSHIP_TRANSFER);
        return new RequestVote(groupId, from, term, lastLogIndex, lastLogTerm,
            (flags & PRE_VOTE) != 0, (flags & LEADERSHIP_TRANSFER) != 0);
      }
      case TYPE_REQUEST_VOTE_RESPONSE: {
        int flags = in.readFlags("RequestVoteResponse flags", GRANTED | RESPONSE_PRE_VOTE);
        return new RequestVoteResponse(groupId, from, term, (flags & GRANTED) != 0,
            (flags & RESPONSE_PRE_VOTE) != 0);
      }
      case TYPE_APPEND_ENTRIES:
        return readAppendEntries(groupId, from, term, in);
      case TYPE_APPEND_ENTRIES_RESPONSE: {
        int flags = in.readFlags("AppendEntriesResponse flags", SUCCESS);
        long matchIndex = in.readNonNegativeVarLong("matchIndex");
        long conflictTerm = in.readNonNegativeVarLong("conflictTerm");
        long conflictIndex = in.readNonNegativeVarLong("conflictIndex");
        long round = in.readNonNegativeVarLong("round");
        return new AppendEntriesResponse(groupId, from, term, flags == SUCCESS, matchIndex,
            conflictTerm, conflictIndex, round);
      }
      case TYPE_INSTALL_SNAPSHOT:
        return readInstallSnapshot(groupId, from, term, in);
      case TYPE_INSTALL_SNAPSHOT_RESPONSE: {
        long snapshotIndex = in.readNonNegativeVarLong("snapshotIndex");
        long nextOffset = in.readNonNegativeVarLong("nextOffset");
        int flags = in.readFlags("InstallSnapshotResponse flags", DONE);
        return new InstallSnapshotResponse(groupId, from, term, snapshotIndex, nextOffset,
            flags == DONE);
      }
      case TYPE_TIMEOUT_NOW:
        return new TimeoutNow(groupId, from, term);
      default:
        // Unreachable: the range check above; a new type code must be given a case here.
        throw new IllegalStateException("no reader for message type " + type);
    }
  }

  private static AppendEntries readAppendEntries(long groupId, NodeId from, long term,
      WireReader in) {
    long prevLogIndex = in.readNonNegativeVarLong("prevLogIndex");
    long prevLogTerm = in.readNonNegativeVarLong("prevLogTerm");
    long leaderCommit = in.readNonNegativeVarLong("leaderCommit");
    long round = in.readNonNegativeVarLong("round");
    List<LogEntry> entries = EntryRunReader.read(in, term, prevLogIndex);
    return new AppendEntries(groupId, from, term, prevLogIndex, prevLogTerm, leaderCommit, round,
        entries);
  }

  private static InstallSnapshot readInstallSnapshot(long groupId, NodeId from, long term,
      WireReader in) {
    int indexAt = in.position();
    long snapshotIndex = in.readVarLong("snapshotIndex");
    if (snapshotIndex < 1) {
      throw in.error(indexAt, "snapshotIndex must be at least 1, got " + snapshotIndex);
    }
    int termAt = in.position();
    long snapshotTerm = in.readVarLong("snapshotTerm");
    if (snapshotTerm < 1 || snapshotTerm > term) {
      // A snapshot covers committed entries, whose terms are at least 1 and at most the term of
      // the leader that ships it.
      throw in.error(termAt, "snapshotTerm must be in 1.." + term + " (the message's term), got "
          + snapshotTerm);
    }
    int offsetAt = in.position();
    long offset = in.readNonNegativeVarLong("offset");
    int flags = in.readFlags("InstallSnapshot flags", DONE);
    // readLength bounds the length by the bytes left in this frame before allocating.
    int dataLength = in.readLength("snapshot data length", MessageCodec.MAX_BODY_BYTES);
    if (offset > Long.MAX_VALUE - dataLength) {
      throw in.error(offsetAt, "offset " + offset + " + data length " + dataLength
          + " overflows");
    }
    byte[] data = in.readBytes("snapshot data", dataLength);
    return new InstallSnapshot(groupId, from, term, snapshotIndex, snapshotTerm, offset, data,
        flags == DONE);
  }
}
