package io.raftdb.message;

import io.raftdb.NodeId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
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
 * </pre>
 *
 * Entries use {@link LogEntryCodec}'s body without its version byte and checksum: the frame's
 * checksum covers them.
 */
final class MessageBodies {
  static final int TYPE_REQUEST_VOTE = 1;
  static final int TYPE_REQUEST_VOTE_RESPONSE = 2;
  static final int TYPE_APPEND_ENTRIES = 3;
  static final int TYPE_APPEND_ENTRIES_RESPONSE = 4;
  static final int TYPE_TIMEOUT_NOW = 5;

  private static final int PRE_VOTE = 1;
  private static final int LEADERSHIP_TRANSFER = 2;
  private static final int GRANTED = 1;
  private static final int RESPONSE_PRE_VOTE = 2;
  private static final int SUCCESS = 1;

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
    }
  }

  /**
   * Reads a body of the given type. The caller checks that the body was consumed exactly;
   * {@code typeAt} locates the type byte for the error about an unknown one.
   */
  static RaftMessage read(int type, int typeAt, WireReader in) {
    if (type < TYPE_REQUEST_VOTE || type > TYPE_TIMEOUT_NOW) {
      throw in.error(typeAt, "unknown message type " + type);
    }
    long groupId = in.readVarLong("groupId");
    NodeId from = in.readNodeId("from");
    long term = in.readVarLong("term");
    switch (type) {
      case TYPE_REQUEST_VOTE: {
        long lastLogIndex = in.readVarLong("lastLogIndex");
        long lastLogTerm = in.readVarLong("lastLogTerm");
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
        long matchIndex = in.readVarLong("matchIndex");
        long conflictTerm = in.readVarLong("conflictTerm");
        long conflictIndex = in.readVarLong("conflictIndex");
        long round = in.readVarLong("round");
        return new AppendEntriesResponse(groupId, from, term, flags == SUCCESS, matchIndex,
            conflictTerm, conflictIndex, round);
      }
      default:
        return new TimeoutNow(groupId, from, term);
    }
  }

  private static AppendEntries readAppendEntries(long groupId, NodeId from, long term,
      WireReader in) {
    long prevLogIndex = in.readVarLong("prevLogIndex");
    long prevLogTerm = in.readVarLong("prevLogTerm");
    long leaderCommit = in.readVarLong("leaderCommit");
    long round = in.readVarLong("round");
    int count = in.readCount("entry count", LogEntryCodec.MIN_BODY_BYTES);
    List<LogEntry> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      entries.add(LogEntryCodec.readBody(in));
    }
    return new AppendEntries(groupId, from, term, prevLogIndex, prevLogTerm, leaderCommit, round,
        entries);
  }
}
