package io.raftdb.core.protocol;

import io.raftdb.message.AppendEntries;
import io.raftdb.message.AppendEntriesResponse;
import io.raftdb.message.InstallSnapshot;
import io.raftdb.message.InstallSnapshotResponse;
import io.raftdb.message.LogEntry;
import io.raftdb.message.RaftMessage;
import io.raftdb.message.ReadIndexRequest;
import io.raftdb.message.ReadIndexResponse;
import io.raftdb.message.RequestVote;
import io.raftdb.message.RequestVoteResponse;
import io.raftdb.message.TimeoutNow;
import java.util.List;

/**
 * The rules every inbound message must satisfy whatever state the receiver is in. The codec only
 * bounds sizes and checks the checksum, so a message that decodes cleanly can still say
 * something no correct peer ever says (a negative index, a term of -1 that matches the log's
 * "missing" sentinel, entries that skip an index); acting on it can break the receiver's own
 * invariants. The protocol drops such a message before it touches any state.
 *
 * <p>Rules that depend on the receiver's state (an index past its log, a second leader in its
 * term) are checked by {@link RaftProtocol} itself.
 */
final class MessageValidator {
  /**
   * No index, term or round reaches this: far beyond any real log (2^62 entries), and it leaves
   * room for {@code + 1} and for adding an entry count without overflow.
   */
  static final long MAX_NUMBER = 1L << 62;

  private MessageValidator() {}

  /** Why {@code m} is impossible, or {@code null} if it may be acted on. */
  static String problem(RaftMessage m) {
    String p = number("term", m.term());
    if (p != null) {
      return p;
    }
    if (m instanceof AppendEntries ae) {
      return appendEntries(ae);
    } else if (m instanceof AppendEntriesResponse r) {
      return appendResponse(r);
    } else if (m instanceof RequestVote rv) {
      return requestVote(rv);
    } else if (m instanceof RequestVoteResponse) {
      return null;
    } else if (m instanceof TimeoutNow t) {
      return t.term() == 0 ? "TimeoutNow in term 0" : null;
    } else if (m instanceof InstallSnapshot is) {
      return installSnapshot(is);
    } else if (m instanceof InstallSnapshotResponse r) {
      return installSnapshotResponse(r);
    } else if (m instanceof ReadIndexRequest r) {
      return firstOf(r.term() == 0 ? "ReadIndexRequest in term 0" : null,
          r.requestId() < 1 ? "read id " + r.requestId() + " is not positive" : null);
    } else if (m instanceof ReadIndexResponse r) {
      return firstOf(r.term() == 0 ? "ReadIndexResponse in term 0" : null,
          number("readIndex", r.readIndex()));
    }
    return "not a message between members: " + m.getClass().getSimpleName();
  }

  private static String appendEntries(AppendEntries ae) {
    String p = firstOf(
        number("prevLogIndex", ae.prevLogIndex()),
        number("prevLogTerm", ae.prevLogTerm()),
        number("leaderCommit", ae.leaderCommit()),
        number("round", ae.round()),
        ae.term() == 0 ? "AppendEntries in term 0" : null,
        position("prevLog", ae.prevLogIndex(), ae.prevLogTerm(), ae.term()));
    if (p != null) {
      return p;
    }
    List<LogEntry> entries = ae.entries();
    long index = ae.prevLogIndex();
    long term = ae.prevLogTerm();
    for (int i = 0, n = entries.size(); i < n; i++) {
      LogEntry e = entries.get(i);
      if (e.index() != ++index) {
        return "entry " + i + " has index " + e.index() + ", expected " + index;
      }
      if (e.term() < Math.max(term, 1) || e.term() > ae.term()) {
        return "entry " + e.index() + " has term " + e.term() + " after term " + term
            + " in a message of term " + ae.term();
      }
      term = e.term();
    }
    return index >= MAX_NUMBER ? "last entry index " + index + " is out of range" : null;
  }

  private static String appendResponse(AppendEntriesResponse r) {
    String p = firstOf(
        number("matchIndex", r.matchIndex()),
        number("conflictTerm", r.conflictTerm()),
        number("conflictIndex", r.conflictIndex()),
        number("round", r.round()));
    if (p != null) {
      return p;
    }
    if (r.conflictTerm() > r.term()) {
      return "conflictTerm " + r.conflictTerm() + " is newer than the answer's term " + r.term();
    }
    if (r.conflictIndex() > r.matchIndex() + 1) {
      return "conflictIndex " + r.conflictIndex() + " is past the refused index "
          + r.matchIndex();
    }
    return null;
  }

  private static String requestVote(RequestVote rv) {
    return firstOf(
        rv.term() == 0 ? "RequestVote in term 0" : null,
        number("lastLogIndex", rv.lastLogIndex()),
        number("lastLogTerm", rv.lastLogTerm()),
        position("lastLog", rv.lastLogIndex(), rv.lastLogTerm(), rv.term()));
  }

  private static String installSnapshot(InstallSnapshot is) {
    String p = firstOf(
        is.term() == 0 ? "InstallSnapshot in term 0" : null,
        number("snapshotIndex", is.snapshotIndex()),
        number("snapshotTerm", is.snapshotTerm()),
        number("offset", is.offset()));
    if (p != null) {
      return p;
    }
    if (is.snapshotIndex() == 0 || is.snapshotTerm() == 0) {
      return "a snapshot at " + is.snapshotIndex() + "@" + is.snapshotTerm() + " covers nothing";
    }
    if (is.snapshotTerm() > is.term()) {
      return "snapshot term " + is.snapshotTerm() + " is newer than the message's " + is.term();
    }
    return null;
  }

  private static String installSnapshotResponse(InstallSnapshotResponse r) {
    String p = firstOf(
        number("snapshotIndex", r.snapshotIndex()),
        number("nextOffset", r.nextOffset()));
    if (p != null) {
      return p;
    }
    return r.snapshotIndex() == 0 ? "an answer about a snapshot at index 0" : null;
  }

  /**
   * A log position as a message states it: index 0 has term 0, any other index a term of at
   * least 1 and at most the message's own term.
   */
  private static String position(String name, long index, long term, long messageTerm) {
    if ((index == 0) != (term == 0)) {
      return name + " " + index + "@" + term + " cannot exist";
    }
    if (term > messageTerm) {
      return name + " term " + term + " is newer than the message's " + messageTerm;
    }
    return null;
  }

  private static String number(String name, long value) {
    return value < 0 || value >= MAX_NUMBER ? name + " " + value + " is out of range" : null;
  }

  private static String firstOf(String... problems) {
    for (String p : problems) {
      if (p != null) {
        return p;
      }
    }
    return null;
  }
}
