package io.raftdb.core.session;

import io.raftdb.StateMachine;
import io.raftdb.core.session.SessionTable.Session;
import io.raftdb.message.ClientReply;
import io.raftdb.message.EntryKind;
import io.raftdb.message.LogEntry;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The user's {@link StateMachine} with client sessions around it: what a node's apply thread
 * drives. Plain commands pass straight through; {@link EntryKind#SESSION} entries go through the
 * {@link SessionTable}, which lets each command of a session reach the user's state machine once
 * and answers retries from its cache. The table is part of every snapshot, ahead of the user's
 * state, so that a node restored from a snapshot still knows which commands it applied.
 *
 * <p>Snapshot layout: {@code magic 8 bytes | table length int | table | the user's snapshot}. A
 * snapshot without the magic (written before sessions existed) restores with no sessions.
 *
 * <p>Owned by the apply thread, like the state machine it wraps.
 */
public final class SessionStateMachine implements StateMachine {
  private static final long SNAPSHOT_MAGIC = 0x5261667444425331L; // "RaftDBS1"
  /** A bound on the table section when restoring, against a corrupt length. */
  private static final int MAX_TABLE_BYTES = Integer.MAX_VALUE - 16;

  private final StateMachine inner;
  private final boolean oneCommandPerCall;
  private SessionTable table = new SessionTable();

  /** Wraps {@code inner}. */
  public SessionStateMachine(StateMachine inner) {
    this.inner = inner;
    this.oneCommandPerCall = keepsDefaultApplyBatch(inner);
  }

  /**
   * Whether the wrapped state machine applies one command per call into it (it keeps the default
   * {@link StateMachine#applyBatch}): its commands are then applied one at a time as they come,
   * and applying can pause between any two of them.
   */
  public boolean appliesOneCommandPerCall() {
    return oneCommandPerCall;
  }

  private static boolean keepsDefaultApplyBatch(StateMachine machine) {
    try {
      return machine.getClass().getMethod("applyBatch", List.class).getDeclaringClass()
          == StateMachine.class;
    } catch (NoSuchMethodException e) {
      return false; // cannot happen: every StateMachine has it
    }
  }

  /** The state machine it wraps. */
  public StateMachine inner() {
    return inner;
  }

  /** How many client sessions are open. For status and tests. */
  public int sessionCount() {
    return table.size();
  }

  /**
   * Applies a batch of committed entries and returns one result per {@link EntryKind#COMMAND}
   * and {@link EntryKind#SESSION} entry, in order: a plain command's result as the state machine
   * gave it, a session entry's as a {@link SessionOutcome}. No-op entries are skipped.
   */
  public List<byte[]> applyEntries(List<LogEntry> entries) {
    List<byte[]> results = new ArrayList<>(entries.size());
    applyEntries(entries, results, true, () -> false);
    return results;
  }

  /**
   * As {@link #applyEntries(List)}, adding the results to {@code results}, with a way to stop
   * between two commands: when the wrapped state machine applies one command per call
   * ({@link #appliesOneCommandPerCall()}), it stops right after the entry during whose
   * application {@code pause} became true (a snapshot asked for from inside {@code apply} must
   * capture the state of exactly that entry). Otherwise the whole batch goes to the state
   * machine's {@code applyBatch} and {@code pause} is not asked.
   *
   * @param outcomesWanted whether anyone waits for the session entries' outcomes; if not (a
   *     follower's batch), their commands are applied and cached all the same, but their
   *     outcomes, which only a proposer reads, are not made, and their results are {@code null}
   * @return how many of {@code entries} were applied: all, or fewer if it paused
   */
  public int applyEntries(List<LogEntry> entries, List<byte[]> results, boolean outcomesWanted,
      BooleanSupplier pause) {
    if (!oneCommandPerCall) {
      Batch batch = new Batch(results, outcomesWanted);
      for (LogEntry e : entries) {
        if (e.kind() == EntryKind.COMMAND) {
          batch.addCommand(e.index(), e.payload(), null, 0);
        } else if (e.kind() == EntryKind.SESSION) {
          applySession(e, batch);
        }
      }
      batch.finish();
      return entries.size();
    }
    // One command per call into the state machine anyway (its default applyBatch is a loop), so
    // each is applied at once: no batch to gather, and a point to pause after every entry.
    for (int i = 0; i < entries.size(); i++) {
      LogEntry e = entries.get(i);
      if (e.kind() == EntryKind.COMMAND) {
        results.add(appliedOnce(e.index(), e.payload()));
      } else if (e.kind() == EntryKind.SESSION) {
        results.add(applySessionNow(e, outcomesWanted));
      }
      if (pause.getAsBoolean()) {
        return i + 1;
      }
    }
    return entries.size();
  }

  /**
   * A session entry's outcome, its commands (those that run) applied at once; {@code null} for
   * commands applied when their outcome is not {@code wanted}.
   */
  private byte[] applySessionNow(LogEntry e, boolean wanted) {
    SessionEntry s;
    try {
      s = SessionEntry.decode(e.payload());
    } catch (IllegalArgumentException malformed) {
      return refusal(e, malformed);
    }
    return switch (s.op()) {
      case COMMAND -> {
        Session session = table.touch(s);
        if (session == null) {
          yield SessionTable.expired(s.sessionId());
        }
        byte[] decided = table.beforeCommand(session, s.sequence());
        if (decided != null) {
          yield decided; // (never IN_FLIGHT: nothing waits in a batch here)
        }
        byte[] result = applyNow(e.index(), session, s.sequence(), s.command());
        yield wanted ? SessionOutcome.ok(result) : null;
      }
      case COMMANDS -> applyCommandsNow(e, s, wanted);
      default -> decided(e, s);
    };
  }

  /** A request's commands, each decided and (if it runs) applied at once, in order. */
  private byte[] applyCommandsNow(LogEntry e, SessionEntry s, boolean wanted) {
    List<byte[]> commands;
    try {
      commands = s.batchedCommands();
    } catch (IllegalArgumentException malformed) {
      return refusal(e, malformed);
    }
    CommandOutcomes outcomes = new CommandOutcomes(commands.size());
    Session session = liveSessionOf(s, outcomes);
    if (session != null) {
      for (int i = 0; i < outcomes.size(); i++) {
        long sequence = s.sequence() + i;
        byte[] decided = table.beforeCommand(session, sequence);
        if (decided != null) {
          outcomes.decided(i, decided); // (never IN_FLIGHT, as above)
        } else {
          outcomes.applied(i, applyNow(e.index(), session, sequence, commands.get(i)));
        }
      }
    }
    return wanted ? outcomes.encode() : null;
  }

  /**
   * The live session of a request's commands (see {@link SessionTable#touch}), or {@code null}
   * after deciding every one of {@code outcomes} that the session is gone.
   */
  private Session liveSessionOf(SessionEntry s, CommandOutcomes outcomes) {
    Session session = table.touch(s);
    if (session == null) {
      outcomes.decidedAll(SessionTable.expired(s.sessionId()));
    }
    return session;
  }

  /** Applies a command that the table let run, caches its result and returns it. */
  private byte[] applyNow(long index, Session session, long sequence, byte[] command) {
    byte[] result = appliedOnce(index, command);
    SessionTable.recordReply(session, sequence, result);
    return result;
  }

  private byte[] appliedOnce(long index, byte[] command) {
    return requireResult(inner.apply(index, command), index);
  }

  private static byte[] requireResult(byte[] result, long index) {
    if (result == null) {
      throw new IllegalStateException("the state machine returned null for the command at "
          + index);
    }
    return result;
  }

  private void applySession(LogEntry e, Batch batch) {
    SessionEntry s;
    try {
      s = SessionEntry.decode(e.payload());
    } catch (IllegalArgumentException malformed) {
      batch.addOutcome(refusal(e, malformed));
      return;
    }
    switch (s.op()) {
      case COMMAND -> {
        Session session = table.touch(s);
        byte[] decided = session == null ? SessionTable.expired(s.sessionId())
            : decidedAfterEarlierCopies(session, s.sequence(), batch);
        if (decided == null) {
          batch.addCommand(e.index(), s.command(), session, s.sequence());
        } else {
          batch.addOutcome(decided);
        }
      }
      case COMMANDS -> addCommands(e, s, batch);
      default -> batch.addOutcome(decided(e, s));
    }
  }

  /** A request's commands: each decided by the table, those that run added to the batch. */
  private void addCommands(LogEntry e, SessionEntry s, Batch batch) {
    List<byte[]> commands;
    try {
      commands = s.batchedCommands();
    } catch (IllegalArgumentException malformed) {
      batch.addOutcome(refusal(e, malformed));
      return;
    }
    CommandOutcomes outcomes = batch.addGroup(commands.size());
    Session session = liveSessionOf(s, outcomes);
    if (session == null) {
      return;
    }
    for (int i = 0; i < outcomes.size(); i++) {
      long sequence = s.sequence() + i;
      byte[] decided = decidedAfterEarlierCopies(session, sequence, batch);
      if (decided == null) {
        batch.addGroupCommand(e.index(), commands.get(i), session, sequence, outcomes, i);
      } else {
        outcomes.decided(i, decided);
      }
    }
  }

  /**
   * As {@link SessionTable#beforeCommand}, first applying an earlier copy of the same command in
   * the batch.
   */
  private byte[] decidedAfterEarlierCopies(Session session, long sequence, Batch batch) {
    byte[] decided = table.beforeCommand(session, sequence);
    if (decided == SessionTable.IN_FLIGHT) {
      batch.flush(); // its earlier copy in this batch must be applied and cached first
      decided = table.beforeCommand(session, sequence);
    }
    return decided;
  }

  /** The outcome of a session entry that carries no command: the session table decides it. */
  private byte[] decided(LogEntry e, SessionEntry s) {
    return switch (s.op()) {
      case REGISTER -> table.register(e.index(), s);
      case KEEP_ALIVE -> table.keepAlive(s);
      case CLOSE -> table.close(s);
      case COMMAND, COMMANDS -> throw new IllegalStateException("commands are decided each");
    };
  }

  /** Every replica decodes the same bytes the same way, so refusing keeps them together. */
  private static byte[] refusal(LogEntry e, IllegalArgumentException malformed) {
    return SessionOutcome.error(ClientReply.Status.REJECTED,
        "malformed session entry at index " + e.index() + ": " + malformed.getMessage());
  }

  /** The results of one batch, and the commands still to hand to the state machine. */
  private final class Batch {
    final List<byte[]> results;
    /** Whether the session entries' outcomes are made (see {@link #applyEntries}). */
    final boolean outcomesWanted;
    final List<Command> commands = new ArrayList<>();
    /** Per command in {@link #commands}: where its result goes, and its session (if any). */
    final List<Pending> pending = new ArrayList<>();
    /** Per {@link SessionEntry.Op#COMMANDS} entry: its result's place and its outcomes. */
    final List<Group> groups = new ArrayList<>();

    Batch(List<byte[]> results, boolean outcomesWanted) {
      this.results = results;
      this.outcomesWanted = outcomesWanted;
    }

    /**
     * Adds a command for the state machine, whose result is an entry's result of its own; with
     * its session ({@code null} for a plain command).
     */
    void addCommand(long index, byte[] command, Session session, long sequence) {
      results.add(null);
      add(index, command, new Pending(results.size() - 1, null, session, sequence));
    }

    /** Adds one of a request's commands; its result goes to {@code group[member]}. */
    void addGroupCommand(long index, byte[] command, Session session, long sequence,
        CommandOutcomes group, int member) {
      add(index, command, new Pending(member, group, session, sequence));
    }

    private void add(long index, byte[] command, Pending p) {
      pending.add(p);
      commands.add(new Command(index, command));
    }

    void addOutcome(byte[] outcome) {
      results.add(outcome);
    }

    /** Reserves the result of a request's commands; its outcomes are filled in as they come. */
    CommandOutcomes addGroup(int size) {
      Group g = new Group(results.size(), new CommandOutcomes(size));
      results.add(null);
      groups.add(g);
      return g.outcomes;
    }

    void flush() {
      if (commands.isEmpty()) {
        return;
      }
      List<byte[]> applied = inner.applyBatch(commands);
      if (applied == null || applied.size() != commands.size()) {
        throw new IllegalStateException("the state machine returned "
            + (applied == null ? "null" : applied.size() + " results") + " for "
            + commands.size() + " commands");
      }
      for (int i = 0; i < applied.size(); i++) {
        byte[] result = requireResult(applied.get(i), commands.get(i).index());
        Pending p = pending.get(i);
        if (p.session() != null) {
          SessionTable.recordReply(p.session(), p.sequence(), result);
        }
        if (p.group() != null) {
          p.group().applied(p.slot(), result);
        } else if (p.session() == null) {
          results.set(p.slot(), result);
        } else if (outcomesWanted) {
          results.set(p.slot(), SessionOutcome.ok(result));
        }
      }
      commands.clear();
      pending.clear();
    }

    /** Applies what is left and settles the results of requests' commands. */
    void finish() {
      flush();
      if (outcomesWanted) {
        for (Group g : groups) {
          results.set(g.slot(), g.outcomes().encode());
        }
      }
      groups.clear();
    }
  }

  /**
   * A command handed to the state machine: its result's place (in {@code group} if it has one,
   * else among the batch's results); its session ({@code null} for none) and number there.
   */
  private record Pending(int slot, CommandOutcomes group, Session session, long sequence) {}

  /** A request's commands in one entry: the entry's result's place, and their outcomes. */
  private record Group(int slot, CommandOutcomes outcomes) {}

  @Override
  public byte[] apply(long index, byte[] command) {
    return inner.apply(index, command);
  }

  @Override
  public List<byte[]> applyBatch(List<Command> commands) {
    return inner.applyBatch(commands);
  }

  @Override
  public byte[] query(byte[] query) {
    return inner.query(query);
  }

  @Override
  public SnapshotWriter captureSnapshot() {
    SnapshotWriter state = inner.captureSnapshot();
    if (state == null) {
      return null;
    }
    // Sessions are few and small next to the state, so they are copied here, on the apply
    // thread, at exactly the state's moment.
    byte[] sessions = table.encode();
    return out -> {
      out.write(ByteBuffer.allocate(12).putLong(SNAPSHOT_MAGIC).putInt(sessions.length).array());
      out.write(sessions);
      state.writeTo(out);
    };
  }

  @Override
  public void restoreSnapshot(InputStream in) throws IOException {
    PushbackInputStream stream = new PushbackInputStream(in, Long.BYTES);
    byte[] magic = stream.readNBytes(Long.BYTES);
    if (magic.length < Long.BYTES || ByteBuffer.wrap(magic).getLong() != SNAPSHOT_MAGIC) {
      stream.unread(magic);
      inner.restoreSnapshot(stream);
      table = new SessionTable();
      return;
    }
    DataInputStream header = new DataInputStream(stream); // unbuffered: reads exactly its bytes
    int length = header.readInt();
    if (length < 0 || length > MAX_TABLE_BYTES) {
      throw new IOException("session table length " + length + " is out of range");
    }
    byte[] sessions = stream.readNBytes(length);
    if (sessions.length != length) {
      throw new IOException("truncated snapshot: the session table needs " + length
          + " bytes, found " + sessions.length);
    }
    SessionTable restored;
    try {
      restored = SessionTable.decode(sessions);
    } catch (IllegalArgumentException e) {
      throw new IOException("corrupt session table in snapshot: " + e.getMessage(), e);
    }
    inner.restoreSnapshot(stream);
    table = restored; // only once the state loaded too, so a failure leaves both as they were
  }

  /** For tests: the table as bytes. */
  byte[] encodedTable() {
    return table.encode();
  }
}
