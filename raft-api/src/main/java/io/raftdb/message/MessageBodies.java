package io.raftdb.message;

import io.raftdb.NodeId;
import io.raftdb.ReadConsistency;
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
 * ReadIndex      ... requestId flags(1 lease)
 * ReadIndexResp  ... requestId flags(1 granted) readIndex
 * ClientRequest  ... callId op sessionId sequence ackedBelow consistency(0 none, 1 linearizable,
 *                    2 lease, 3 stale) payloadLength payload
 * ClientReply    ... callId status leaderHint(0 length: none) sessionId payloadLength payload
 * </pre>
 * (The term of client messages is always 0.)
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
  static final int TYPE_READ_INDEX = 8;
  static final int TYPE_READ_INDEX_RESPONSE = 9;
  static final int TYPE_CLIENT_REQUEST = 10;
  static final int TYPE_CLIENT_REPLY = 11;
  private static final int LAST_TYPE = TYPE_CLIENT_REPLY;

  private static final int PRE_VOTE = 1;
  private static final int LEADERSHIP_TRANSFER = 2;
  private static final int GRANTED = 1;
  private static final int RESPONSE_PRE_VOTE = 2;
  private static final int SUCCESS = 1;
  private static final int DONE = 1;
  private static final int LEASE = 1;
  private static final int READ_GRANTED = 1;
  private static final ReadConsistency[] CONSISTENCIES = {null, ReadConsistency.LINEARIZABLE,
      ReadConsistency.LEASE, ReadConsistency.STALE};

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
    } else if (message instanceof ReadIndexRequest) {
      return TYPE_READ_INDEX;
    } else if (message instanceof ReadIndexResponse) {
      return TYPE_READ_INDEX_RESPONSE;
    } else if (message instanceof ClientRequest) {
      return TYPE_CLIENT_REQUEST;
    } else if (message instanceof ClientReply) {
      return TYPE_CLIENT_REPLY;
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
    } else if (m instanceof ReadIndexRequest r) {
      size += WireWriter.varLongSize(r.requestId()) + 1;
    } else if (m instanceof ReadIndexResponse r) {
      size += WireWriter.varLongSize(r.requestId()) + 1 + WireWriter.varLongSize(r.readIndex());
    } else if (m instanceof ClientRequest r) {
      size += WireWriter.varLongSize(r.callId()) + 1 + WireWriter.varLongSize(r.sessionId())
          + WireWriter.varLongSize(r.sequence()) + WireWriter.varLongSize(r.ackedBelow()) + 1
          + WireWriter.varLongSize(r.payload().length) + r.payload().length;
    } else if (m instanceof ClientReply r) {
      size += WireWriter.varLongSize(r.callId()) + 1
          + (r.leaderHint() == null ? 1 : WireWriter.nodeIdSize(r.leaderHint()))
          + WireWriter.varLongSize(r.sessionId())
          + WireWriter.varLongSize(r.payload().length) + r.payload().length;
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
    } else if (m instanceof ReadIndexRequest r) {
      WireWriter.putVarLong(out, r.requestId());
      out.put((byte) (r.lease() ? LEASE : 0));
    } else if (m instanceof ReadIndexResponse r) {
      WireWriter.putVarLong(out, r.requestId());
      out.put((byte) (r.granted() ? READ_GRANTED : 0));
      WireWriter.putVarLong(out, r.readIndex());
    } else if (m instanceof ClientRequest r) {
      WireWriter.putVarLong(out, r.callId());
      out.put((byte) r.op().code());
      WireWriter.putVarLong(out, r.sessionId());
      WireWriter.putVarLong(out, r.sequence());
      WireWriter.putVarLong(out, r.ackedBelow());
      out.put((byte) (r.consistency() == null ? 0 : r.consistency().ordinal() + 1));
      WireWriter.putVarLong(out, r.payload().length);
      out.put(r.payload());
    } else if (m instanceof ClientReply r) {
      WireWriter.putVarLong(out, r.callId());
      out.put((byte) r.status().code());
      if (r.leaderHint() == null) {
        out.put((byte) 0);
      } else {
        WireWriter.putNodeId(out, r.leaderHint());
      }
      WireWriter.putVarLong(out, r.sessionId());
      WireWriter.putVarLong(out, r.payload().length);
      out.put(r.payload());
    }
  }

  /**
   * Reads a body of the given type. The caller checks that the body was consumed exactly;
   * {@code typeAt} locates the type byte for the error about an unknown one.
   */
  static RaftMessage read(int type, int typeAt, WireReader in) {
    if (type < TYPE_REQUEST_VOTE || type > LAST_TYPE) {
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
      case TYPE_READ_INDEX: {
        long requestId = in.readNonNegativeVarLong("requestId");
        int flags = in.readFlags("ReadIndexRequest flags", LEASE);
        return new ReadIndexRequest(groupId, from, term, requestId, flags == LEASE);
      }
      case TYPE_READ_INDEX_RESPONSE:
        return readReadIndexResponse(groupId, from, term, in);
      case TYPE_CLIENT_REQUEST:
        return ClientMessageBodies.readRequest(groupId, from, term, in, CONSISTENCIES);
      case TYPE_CLIENT_REPLY:
        return ClientMessageBodies.readReply(groupId, from, term, in);
      default:
        // Unreachable: the range check above; a new type code must be given a case here.
        throw new IllegalStateException("no reader for message type " + type);
    }
  }

  private static ReadIndexResponse readReadIndexResponse(long groupId, NodeId from, long term,
      WireReader in) {
    long requestId = in.readNonNegativeVarLong("requestId");
    int flags = in.readFlags("ReadIndexResponse flags", READ_GRANTED);
    int indexAt = in.position();
    long readIndex = in.readNonNegativeVarLong("readIndex");
    boolean granted = flags == READ_GRANTED;
    if (granted ? readIndex < 1 : readIndex != 0) {
      throw in.error(indexAt, "readIndex " + readIndex + " of a " + (granted ? "granted" : "refused")
          + " read (granted: at least 1, refused: 0)");
    }
    return new ReadIndexResponse(groupId, from, term, requestId, granted, readIndex);
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
