package io.raftdb;

/**
 * The {@link RaftClient} was closed while the call was outstanding, or before it was made. For a
 * command, whether it was applied is unknown.
 */
public class ClientClosedException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public ClientClosedException(String message) {
    super(message);
  }
}
