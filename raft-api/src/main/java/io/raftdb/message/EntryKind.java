package io.raftdb.message;

/** What a log entry carries. The code is its stable wire and disk value. */
public enum EntryKind {
  /** A command for the {@link io.raftdb.StateMachine}. */
  COMMAND(1),
  /**
   * The empty entry a new leader appends at the start of its term, so that it can commit (and
   * thereby learn the commit index of) entries of earlier terms (thesis §3.6.2, §6.4). Never shown
   * to the state machine.
   */
  NO_OP(2),
  /**
   * A client-session operation (thesis §6.3): a registration, a command in a session, a
   * keep-alive or a session's end, stamped with the leader's clock. The runtime keeps the session
   * table; the state machine sees only the commands inside, each once.
   */
  SESSION(3),
  /**
   * A change of the group's {@link io.raftdb.Membership} (thesis chapter 4), encoded by
   * {@link MembershipCodec}. It takes effect when appended; never shown to the state machine.
   */
  MEMBERSHIP(4);

  private final int code;

  EntryKind(int code) {
    this.code = code;
  }

  /** The stable byte that stands for this kind on the wire and on disk. */
  public int code() {
    return code;
  }

  /** The kind with the given code; throws {@link CodecException} on an unknown one. */
  public static EntryKind fromCode(int code) {
    for (EntryKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new CodecException("unknown entry kind " + code);
  }
}
