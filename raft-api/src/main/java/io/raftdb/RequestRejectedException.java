package io.raftdb;

/**
 * The group refused a client call that can never succeed: too large, malformed, or against the
 * session rules (a client bug). Nothing was applied.
 */
public class RequestRejectedException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** An exception with the group's explanation. */
  public RequestRejectedException(String message) {
    super(message);
  }
}
