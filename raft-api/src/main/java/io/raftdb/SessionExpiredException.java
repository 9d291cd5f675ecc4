package io.raftdb;

/**
 * The client's session ended (it expired after {@link RaftConfig#sessionTimeout()} without
 * traffic, or the group forgot it to make room) while a command was outstanding. The command may
 * have been applied before the session ended; it will not be applied later. The client opens a
 * new session for its next command.
 */
public class SessionExpiredException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** An exception with the group's explanation. */
  public SessionExpiredException(String message) {
    super(message);
  }
}
