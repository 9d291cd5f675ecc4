package io.raftdb;

/**
 * A client call did not complete before its deadline. For a command, whether it was applied is
 * unknown; it will not be applied after this client has moved on (its session refuses it).
 */
public class RequestTimeoutException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public RequestTimeoutException(String message) {
    super(message);
  }
}
