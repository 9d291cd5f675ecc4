package io.raftdb.sim.dst;

import io.raftdb.message.AppendEntries;
import io.raftdb.message.AppendEntriesResponse;
import io.raftdb.message.InstallSnapshot;
import io.raftdb.message.InstallSnapshotResponse;
import io.raftdb.message.RaftMessage;
import io.raftdb.message.RequestVote;
import io.raftdb.message.RequestVoteResponse;
import io.raftdb.message.TimeoutNow;

/** Short, stable descriptions of messages and times for trace lines. */
final class TraceFormat {
  private TraceFormat() {}

  /** Virtual microseconds as milliseconds with three decimals, e.g. {@code 1234.567ms}. */
  static String time(long micros) {
    long ms = micros / 1000;
    long frac = micros % 1000;
    String f = Long.toString(frac);
    return ms + "." + "000".substring(f.length()) + f + "ms";
  }

  /** A message in one short line, naming the fields the protocol acts on. */
  static String message(RaftMessage m) {
    if (m instanceof AppendEntries ae) {
      String entries = ae.entries().isEmpty() ? "heartbeat"
          : ae.entries().size() + " entries " + (ae.prevLogIndex() + 1) + ".." + ae.lastIndex();
      return "AppendEntries t" + ae.term() + " prev=" + ae.prevLogIndex() + "@" + ae.prevLogTerm()
          + " commit=" + ae.leaderCommit() + " round=" + ae.round() + " " + entries;
    }
    if (m instanceof AppendEntriesResponse r) {
      return "AppendResponse t" + r.term() + (r.success() ? " ok match=" : " refused prev=")
          + r.matchIndex() + (r.success() ? "" : " conflict=" + r.conflictIndex() + "@"
          + r.conflictTerm()) + " round=" + r.round();
    }
    if (m instanceof RequestVote rv) {
      return (rv.preVote() ? "PreVote" : "RequestVote") + " t" + rv.term() + " last="
          + rv.lastLogIndex() + "@" + rv.lastLogTerm()
          + (rv.leadershipTransfer() ? " transfer" : "");
    }
    if (m instanceof RequestVoteResponse r) {
      return (r.preVote() ? "PreVoteResponse" : "VoteResponse") + " t" + r.term()
          + (r.granted() ? " granted" : " refused");
    }
    if (m instanceof InstallSnapshot is) {
      return "InstallSnapshot t" + is.term() + " " + is.snapshotIndex() + "@" + is.snapshotTerm()
          + " offset=" + is.offset() + " " + is.data().length + "B" + (is.done() ? " done" : "");
    }
    if (m instanceof InstallSnapshotResponse r) {
      return "InstallSnapshotResponse t" + r.term() + " " + r.snapshotIndex() + " next="
          + r.nextOffset() + (r.done() ? " done" : "");
    }
    if (m instanceof TimeoutNow t) {
      return "TimeoutNow t" + t.term();
    }
    return m.getClass().getSimpleName();
  }
}
