package io.raftdb;

/** The root of every exception RaftDB throws or completes a future with. Unchecked. */
public class RaftException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public RaftException(String message) {
    super(message);
  }

  /** An exception with a message and the cause. */
  public RaftException(String message, Throwable cause) {
    super(message, cause);
  }
}
