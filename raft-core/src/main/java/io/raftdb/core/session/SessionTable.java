package io.raftdb.core.session;

import io.raftdb.message.ClientReply;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.TreeMap;

/**
 * The replicated table of client sessions (thesis §6.3): per session, the replies the client has
 * not yet acknowledged, so that a retried command is answered from here instead of applied twice.
 * A reply is kept as the state machine's result, as it is: only commands that were applied are
 * cached, and their outcome is a success (a refusal is decided again each time it is asked).
 * Every replica applies the same entries in the same order and reads time only from them, so
 * every replica's table is the same.
 *
 * <p>Time is the highest leader clock stamped into an entry so far: a new leader whose clock is
 * behind cannot move it backwards, it only holds it still, and sessions then live longer, never
 * shorter. A session expires once this time passes its last activity by its timeout. Owned by
 * the apply thread.
 */
final class SessionTable {
  /**
   * The most replies one session may leave unacknowledged; a client keeps fewer commands in
   * flight (see {@code RaftClient}), so only a broken client reaches it.
   */
  static final int MAX_UNACKED_REPLIES = 4096;
  /** How often, in log time, the table forgets expired sessions that nobody asked about. */
  private static final long SWEEP_INTERVAL_MILLIS = 1000;
  /** A reply slot whose command is being applied in the current batch. */
  static final byte[] IN_FLIGHT = new byte[0];
  private static final int FORMAT = 0x5E551011;

  /** One client session: its timeout, last activity and unacknowledged results. */
  static final class Session {
    final long id;
    final long timeoutMillis;
    long lastActiveMillis;
    final ReplyWindow replies = new ReplyWindow();

    Session(long id, long timeoutMillis, long lastActiveMillis) {
      this.id = id;
      this.timeoutMillis = timeoutMillis;
      this.lastActiveMillis = lastActiveMillis;
    }

    boolean expiredAt(long now) {
      return now - lastActiveMillis > timeoutMillis;
    }
  }

  private final TreeMap<Long, Session> sessions = new TreeMap<>();
  private long clockMillis;
  private long nextSweepMillis;

  /** How many sessions are open. */
  int size() {
    return sessions.size();
  }

  /** Opens session {@code id} (the index of its registration entry). */
  byte[] register(long id, SessionEntry e) {
    advanceClock(e.leaderTimeMillis());
    while (sessions.size() >= e.maxSessions()) {
      evictIdlest();
    }
    sessions.put(id, new Session(id, e.timeoutMillis(), clockMillis));
    return SessionOutcome.registered(id);
  }

  /**
   * Decides about command {@code sequence} of live session {@code s} (see {@link #touch}):
   * {@code null} if it must be applied now (its slot is then marked {@link #IN_FLIGHT} until
   * {@link #recordReply}), {@link #IN_FLIGHT} if the same command is being applied in this batch
   * (apply that first, then ask again), or the {@link SessionOutcome} to answer with: the
   * cached result of an earlier apply, or an error. Never lets a command apply twice.
   */
  byte[] beforeCommand(Session s, long sequence) {
    byte[] cached = s.replies.get(sequence);
    if (cached == IN_FLIGHT) {
      return IN_FLIGHT;
    } else if (cached != null) {
      return SessionOutcome.ok(cached); // a retry's answer: copied, as retries are rare
    }
    if (sequence < s.replies.base()) {
      return SessionOutcome.error(ClientReply.Status.REJECTED, "command " + sequence
          + " of session " + s.id + " was already acknowledged by its client");
    }
    if (sequence - s.replies.base() >= MAX_UNACKED_REPLIES) {
      return SessionOutcome.error(ClientReply.Status.REJECTED, "session " + s.id + " has "
          + MAX_UNACKED_REPLIES + " unacknowledged commands; acknowledge replies first");
    }
    s.replies.put(sequence, IN_FLIGHT);
    return null;
  }

  /**
   * Caches the state machine's result of a command applied after {@link #beforeCommand} said so.
   * (Should its session have ended meanwhile, the result goes to a session nobody finds any more.)
   */
  static void recordReply(Session s, long sequence, byte[] result) {
    if (s.replies.get(sequence) == IN_FLIGHT) {
      s.replies.put(sequence, result);
    }
  }

  byte[] keepAlive(SessionEntry e) {
    return touch(e) == null ? expired(e.sessionId()) : SessionOutcome.ok(new byte[0]);
  }

  /**
   * Moves the clock to the entry's time and, if the entry's session is live, marks it active
   * and takes its client's acknowledgement; returns it, or {@code null} if it is gone. A command
   * entry is looked up once, however many commands it carries.
   */
  Session touch(SessionEntry e) {
    advanceClock(e.leaderTimeMillis());
    Session s = live(e.sessionId());
    if (s != null) {
      s.lastActiveMillis = clockMillis;
      s.replies.acknowledge(e.ackedBelow());
    }
    return s;
  }

  byte[] close(SessionEntry e) {
    advanceClock(e.leaderTimeMillis());
    Session s = sessions.remove(e.sessionId());
    return s == null ? expired(e.sessionId()) : SessionOutcome.ok(new byte[0]);
  }

  /** The refusal of an operation on a session that is unknown or expired. */
  static byte[] expired(long sessionId) {
    return SessionOutcome.error(ClientReply.Status.SESSION_EXPIRED, "session " + sessionId
        + " is unknown: it expired or was closed; register a new one");
  }

  /** The session, unless it is unknown or expired (then it is forgotten). */
  private Session live(long id) {
    Session s = sessions.get(id);
    if (s != null && s.expiredAt(clockMillis)) {
      sessions.remove(id);
      return null;
    }
    return s;
  }

  private void advanceClock(long leaderTimeMillis) {
    if (leaderTimeMillis > clockMillis) {
      clockMillis = leaderTimeMillis;
    }
    if (clockMillis >= nextSweepMillis) {
      sessions.values().removeIf(s -> s.expiredAt(clockMillis));
      nextSweepMillis = clockMillis + SWEEP_INTERVAL_MILLIS;
    }
  }

  /** Ends the session idle the longest (the lowest id among equals), to make room. */
  private void evictIdlest() {
    Session idlest = null;
    for (Session s : sessions.values()) {
      if (idlest == null || s.lastActiveMillis < idlest.lastActiveMillis) {
        idlest = s;
      }
    }
    sessions.remove(idlest.id);
  }

  /**
   * The table as bytes, for a snapshot.
   *
   * <pre>
   * format int | clock varlong | nextSweep varlong | count varlong | per session, by id:
   *   id timeoutMillis lastActiveMillis ackedBelow replyCount (sequence length reply)*
   * </pre>
   *
   * A reply is written as the outcome it stands for: the OK status, then the result.
   */
  byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ByteBuffer.allocate(4).putInt(FORMAT).array());
    Varints.write(out, clockMillis);
    Varints.write(out, nextSweepMillis);
    Varints.write(out, sessions.size());
    for (Session s : sessions.values()) {
      Varints.write(out, s.id);
      Varints.write(out, s.timeoutMillis);
      Varints.write(out, s.lastActiveMillis);
      Varints.write(out, s.replies.base());
      Varints.write(out, s.replies.size());
      s.replies.forEach((sequence, reply) -> {
        if (reply == IN_FLIGHT) {
          throw new IllegalStateException("session " + s.id + " command " + sequence
              + " is still being applied");
        }
        Varints.write(out, sequence);
        Varints.write(out, 1 + reply.length);
        out.write(SessionOutcome.OK);
        out.writeBytes(reply);
      });
    }
    return out.toByteArray();
  }

  /**
   * Reads a table written by {@link #encode()}.
   *
   * @throws IllegalArgumentException if the bytes are not such a table
   */
  static SessionTable decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.remaining() < 4 || in.getInt() != FORMAT) {
      throw new IllegalArgumentException("not a session table (unknown format)");
    }
    SessionTable table = new SessionTable();
    table.clockMillis = Varints.read(in);
    table.nextSweepMillis = Varints.read(in);
    long count = Varints.read(in);
    long previousId = 0;
    for (long i = 0; i < count; i++) {
      long id = Varints.read(in);
      if (id <= previousId) {
        throw new IllegalArgumentException("session ids out of order at " + id);
      }
      previousId = id;
      Session s = new Session(id, Varints.read(in), Varints.read(in));
      s.replies.acknowledge(Varints.read(in));
      long replies = Varints.read(in);
      if (replies > MAX_UNACKED_REPLIES) {
        throw new IllegalArgumentException("session " + id + " has " + replies + " replies");
      }
      for (long r = 0; r < replies; r++) {
        long sequence = Varints.read(in);
        long length = Varints.read(in);
        if (length < 1 || length > in.remaining()) {
          throw new IllegalArgumentException("reply length " + length + " of session " + id
              + " exceeds the " + in.remaining() + " bytes left");
        }
        if (in.get() != SessionOutcome.OK) {
          throw new IllegalArgumentException("reply " + sequence + " of session " + id
              + " is not a success; only results are cached");
        }
        byte[] reply = new byte[(int) length - 1];
        in.get(reply);
        if (sequence < s.replies.base() || sequence - s.replies.base() >= MAX_UNACKED_REPLIES
            || s.replies.get(sequence) != null) {
          throw new IllegalArgumentException("reply " + sequence + " of session " + id
              + " is outside its window or repeated");
        }
        s.replies.put(sequence, reply);
      }
      table.sessions.put(id, s);
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " trailing bytes after the sessions");
    }
    return table;
  }

  /** For tests and logs. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("SessionTable[clock ").append(clockMillis);
    for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
      Session s = it.next();
      b.append(", ").append(s.id).append(": acked<").append(s.replies.base()).append(' ')
          .append(s.replies.size()).append(" replies");
    }
    return b.append(']').toString();
  }
}
