package io.raftdb;

/**
 * A command was appended to a leader's log but lost: leadership changed before it was committed
 * and the new leader overwrote it. The command was certainly <em>not</em> applied at the index it
 * was given; a client may retry it (with its session, a retry is applied at most once).
 */
public class CommandDroppedException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** An exception naming the position that was overwritten. */
  public CommandDroppedException(LogPosition lost) {
    super("command at index " + lost.index() + " (term " + lost.term()
        + ") was overwritten by a new leader before it committed");
  }
}
