package io.raftdb.core.runtime;

import io.raftdb.message.EntryKind;
import io.raftdb.message.LogEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands this node appended as leader whose fate is not yet known, kept by log index so
 * that each is settled by the entry committed at its index: applied if that entry has the
 * command's term, dropped if it has another.
 *
 * <p>Within one term a leader gives its commands rising indices, so the commands of one term form
 * one sorted run. A later term of this node may reuse the indices of an earlier run (its log was
 * cut back while it was a follower), and either of the two entries may still end up committed
 * (another node may hold the older one and win an election), so the runs are kept apart and
 * nothing is failed early on a guess. In the steady state there is one run.
 *
 * <p>Threading: event loop only.
 */
final class PendingCommands {
  private final List<ArrayDeque<PendingCommand>> runs = new ArrayList<>();

  /** Remembers a command the protocol has just appended. */
  void add(PendingCommand c) {
    ArrayDeque<PendingCommand> run = runs.isEmpty() ? null : runs.get(runs.size() - 1);
    if (run == null || !(run.isEmpty() || continues(run.peekLast(), c))) {
      run = new ArrayDeque<>();
      runs.add(run);
    }
    run.addLast(c);
  }

  private static boolean continues(PendingCommand last, PendingCommand next) {
    return next.term == last.term && next.index > last.index;
  }

  /**
   * Takes the commands that {@code committed} (entries in index order, not empty) settles. Fails
   * at once those whose index was committed with another entry, and returns for the others, per
   * entry, the command its application answers ({@code null} if no entry has one).
   */
  PendingCommand[] settle(List<LogEntry> committed) {
    if (runs.isEmpty()) {
      return null;
    }
    long lastIndex = committed.get(committed.size() - 1).index();
    PendingCommand[] waiters = null;
    for (int r = 0; r < runs.size(); r++) {
      ArrayDeque<PendingCommand> run = runs.get(r);
      PendingCommand c;
      while ((c = run.peekFirst()) != null && c.index <= lastIndex) {
        run.pollFirst();
        int slot = slotOf(committed, c.index);
        if (slot < 0) {
          c.outcomeUnknown();
          continue;
        }
        LogEntry e = committed.get(slot);
        if (e.term() != c.term || e.kind() != c.kind) {
          c.dropped();
          continue;
        }
        if (waiters == null) {
          waiters = new PendingCommand[committed.size()];
        }
        waiters[slot] = c;
      }
    }
    // Drop emptied runs, but keep the newest one (even empty) to reuse its array.
    for (int r = runs.size() - 2; r >= 0; r--) {
      if (runs.get(r).isEmpty()) {
        runs.remove(r);
      }
    }
    return waiters;
  }

  /** Where {@code index} is in {@code committed}, or -1 if it is not there. */
  private static int slotOf(List<LogEntry> committed, long index) {
    long first = committed.get(0).index();
    long guess = index - first;
    if (guess < 0) {
      return -1;
    }
    if (guess < committed.size() && committed.get((int) guess).index() == index) {
      return (int) guess; // committed entries are consecutive: this is the usual case
    }
    int lo = 0;
    int hi = committed.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long at = committed.get(mid).index();
      if (at == index) {
        return mid;
      } else if (at < index) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }

  /** Fails every remembered command and forgets them. */
  void failAll(Throwable cause) {
    for (ArrayDeque<PendingCommand> run : runs) {
      for (PendingCommand c : run) {
        c.fail(cause);
      }
    }
    runs.clear();
  }
}
