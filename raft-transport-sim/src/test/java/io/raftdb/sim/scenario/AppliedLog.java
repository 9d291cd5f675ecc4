package io.raftdb.sim.scenario;

import static org.junit.jupiter.api.Assertions.fail;

import io.raftdb.NodeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tester's view of "committed": for every node, which command its state machine applied at
 * which index, kept across the node's restarts (the labs' {@code cfg.logs}), together with the
 * labs' applier checks, adapted to RaftDB's no-op entries.
 *
 * <p>After a snapshot is restored (at start-up or installed from the leader) the node's record
 * becomes the snapshot's contents, as the labs' snapshot applier replaces {@code cfg.logs[i]},
 * and its applied history restarts after the snapshot's last command ({@link #restored}).
 *
 * <p>A state machine never sees a no-op, so a node's applied indices have gaps. A gap is accepted
 * only where no node ever applied a command: an index one node skipped and another node applied a
 * command at is an error, whichever happens first. Nor is a gap taken on trust when every node
 * makes it: the index must have been sent as a no-op in some AppendEntries
 * ({@link #replicatedNoOp}; a committed entry always was, in a group of two or more), else a skip
 * is the labs' "apply out of order", even if every server skips that index alike.
 *
 * <p>Every snapshot taken or restored is checked against its index ({@link #checkSnapshot}): it
 * holds exactly the committed commands up to its index, as the labs' snapshot applier checks the
 * decoded index and log of every snapshot it is given. Every error is recorded (the first one is kept)
 * instead of ending the process as the labs' {@code log.Fatal} does, and turns into a test failure
 * at the harness's next check; the apply thread itself never throws.
 *
 * <p>Thread-safe: all methods synchronize on this object.
 */
final class AppliedLog {
  private static final Logger LOG = LoggerFactory.getLogger(AppliedLog.class);

  /** How many nodes applied something at one index, and what (the labs' {@code nCommitted}). */
  record Committed(int count, Long command) {}

  private final List<NodeId> ids;
  /** Per node: index to command value, over all its incarnations. */
  private final List<Map<Long, Long>> commands = new ArrayList<>();
  /** Per node: indices its state machine passed over (no-op entries), over all incarnations. */
  private final List<Set<Long>> skipped = new ArrayList<>();
  /** Indices that some AppendEntries carried a no-op (or other non-command entry) at. */
  private final Set<Long> noOpsOnTheWire = new HashSet<>();
  /** Whether a skip needs a no-op seen on the wire; a group of one sends no AppendEntries. */
  private final boolean skipsNeedNoOps;
  private String firstError;
  private long maxIndex;

  AppliedLog(List<NodeId> ids) {
    this.ids = List.copyOf(ids);
    this.skipsNeedNoOps = ids.size() > 1;
    for (int i = 0; i < ids.size(); i++) {
      commands.add(new HashMap<>());
      skipped.add(new HashSet<>());
    }
  }

  /**
   * Records that {@code node}'s state machine applied {@code command} at {@code index}, right
   * after {@code previousIndex} (0 for the first apply of an incarnation, the last command of a
   * restored snapshot after a restore), and checks it against everything applied so far.
   */
  synchronized void record(int node, long previousIndex, long index, long command) {
    if (index <= previousIndex) {
      error("apply out of order: server %s applied index %d after index %d", ids.get(node), index,
          previousIndex);
    }
    for (long k = previousIndex + 1; k < index; k++) {
      skipped.get(node).add(k);
      if (skipsNeedNoOps && !noOpsOnTheWire.contains(k)) {
        error("apply out of order: server %s applied index %d after index %d, skipping index %d,"
            + " which no AppendEntries ever carried as a no-op", ids.get(node), index,
            previousIndex, k);
      }
      for (int j = 0; j < ids.size(); j++) {
        Long other = commands.get(j).get(k);
        if (other != null) {
          error("server %s passed over index %d as a no-op, but server %s applied command %d there",
              ids.get(node), k, ids.get(j), other);
        }
      }
    }
    for (int j = 0; j < ids.size(); j++) {
      if (skipped.get(j).contains(index)) {
        error("server %s applied command %d at index %d, which server %s passed over as a no-op",
            ids.get(node), command, index, ids.get(j));
      }
      Long other = commands.get(j).get(index);
      if (other != null && other != command) {
        error("commit index=%d server=%s %d != server=%s %d", index, ids.get(node), command,
            ids.get(j), other);
      }
    }
    commands.get(node).put(index, command);
    maxIndex = Math.max(maxIndex, index);
  }

  /**
   * Records that {@code node}'s state machine replaced its state with a snapshot holding
   * {@code contents} (index to command), having applied up to {@code previousIndex} in this
   * incarnation (0 at start-up): the labs' snapshot applier, which replaces the server's recorded
   * log with the snapshot's. The node's applied history restarts at the snapshot's last command:
   * its next command must come right after it, with only no-ops between ({@link #record}).
   *
   * <p>Checks that the snapshot agrees with every other server (the same command at each index,
   * no command where a server saw a no-op, no index left out where a server applied a command)
   * and that it does not take the node's state back behind what it already applied.
   */
  synchronized void restored(int node, long previousIndex, SortedMap<Long, Long> contents) {
    long last = contents.isEmpty() ? 0 : contents.lastKey();
    if (last < previousIndex) {
      error("server %s restored a snapshot whose last command is at index %d after applying "
          + "index %d: its state went back", ids.get(node), last, previousIndex);
    }
    Set<Long> noOps = new HashSet<>();
    for (long k = 1; k <= last; k++) {
      Long command = contents.get(k);
      if (command == null) {
        noOps.add(k);
      }
      for (int j = 0; j < ids.size(); j++) {
        if (j == node) {
          continue;
        }
        Long other = commands.get(j).get(k);
        if (command == null && other != null) {
          error("server %s restored a snapshot without the command %d that server %s applied "
              + "at index %d", ids.get(node), other, ids.get(j), k);
        } else if (command != null && other != null && !other.equals(command)) {
          error("commit index=%d server=%s %d (from a snapshot) != server=%s %d", k,
              ids.get(node), command, ids.get(j), other);
        } else if (command != null && skipped.get(j).contains(k)) {
          error("server %s restored a snapshot with command %d at index %d, which server %s "
              + "passed over as a no-op", ids.get(node), command, k, ids.get(j));
        }
      }
    }
    commands.set(node, new HashMap<>(contents));
    skipped.set(node, noOps);
    maxIndex = Math.max(maxIndex, last);
  }

  /**
   * Records that an AppendEntries carried an entry at {@code index} that the state machine does
   * not see (a no-op). Called by the harness's transport tap before the message leaves, so before
   * any server can apply past it.
   */
  synchronized void replicatedNoOp(long index) {
    noOpsOnTheWire.add(index);
  }

  /**
   * Checks that a snapshot of {@code node} at {@code index}, taken or about to be restored, holds
   * exactly the committed commands up to its index: none after it, and at every index up to it the
   * command that any server applied there (the snapshot's own server applied all of them, or
   * restored them from an earlier snapshot), and none where a server saw a no-op. The labs'
   * counterpart: the decoded index must equal SnapshotIndex and the decoded log is the server's.
   */
  synchronized void checkSnapshot(int node, long index, SortedMap<Long, Long> contents,
      String what) {
    if (!contents.isEmpty() && contents.lastKey() > index) {
      error("%s of server %s at index %d holds command %d at index %d, after its index", what,
          ids.get(node), index, contents.get(contents.lastKey()), contents.lastKey());
    }
    for (long k = 1; k <= index; k++) {
      Long held = contents.get(k);
      for (int j = 0; j < ids.size(); j++) {
        Long applied = commands.get(j).get(k);
        if (applied != null && !applied.equals(held)) {
          error("%s of server %s at index %d holds %s at index %d, but server %s applied %d there",
              what, ids.get(node), index, held == null ? "nothing" : "command " + held, k,
              ids.get(j), applied);
          return;
        }
        if (held != null && skipped.get(j).contains(k)) {
          error("%s of server %s at index %d holds command %d at index %d, which server %s "
              + "passed over as a no-op", what, ids.get(node), index, held, k, ids.get(j));
          return;
        }
      }
    }
  }

  /** Records an error found outside {@link #record}, such as a corrupted command. */
  synchronized void recordError(String message) {
    error("%s", message);
  }

  /** Fails the test if any applier check has failed so far. */
  private boolean checking = true;

  synchronized void assertNoErrors() {
    if (firstError != null) {
      fail("applier error: " + firstError);
    }
  }

  /**
   * How many nodes applied a command at {@code index} and which one; fails the test if an
   * applier check failed or if the nodes disagree.
   */
  synchronized Committed committedAt(long index) {
    assertNoErrors();
    int count = 0;
    Long command = null;
    for (int j = 0; j < ids.size(); j++) {
      Long c = commands.get(j).get(index);
      if (c != null) {
        if (count > 0 && !c.equals(command)) {
          fail("committed values do not match: index " + index + ", " + command + ", " + c);
        }
        count++;
        command = c;
      }
    }
    return new Committed(count, command);
  }

  /** Whether some node passed over {@code index} as a no-op. */
  synchronized boolean isNoOp(long index) {
    for (Set<Long> s : skipped) {
      if (s.contains(index)) {
        return true;
      }
    }
    return false;
  }

  /** How many nodes applied {@code command} at any index. */
  synchronized int serversThatApplied(long command) {
    int count = 0;
    for (Map<Long, Long> m : commands) {
      if (m.containsValue(command)) {
        count++;
      }
    }
    return count;
  }

  /** The highest index at which any node applied a command (the labs' {@code maxIndex}). */
  synchronized long maxIndex() {
    return maxIndex;
  }

  /**
   * Stops checking: forged messages (the fuzz tests send them in the members' names) can make
   * the nodes' histories diverge in any Raft without authentication, so the labs' checks no
   * longer mean anything.
   */
  synchronized void stopChecking() {
    checking = false;
  }

  private void error(String format, Object... args) {
    if (!checking) {
      return;
    }
    String message = String.format(format, args);
    LOG.error("applier check failed: {}", message);
    if (firstError == null) {
      firstError = message;
    }
  }
}
