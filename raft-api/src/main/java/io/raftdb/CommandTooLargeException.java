package io.raftdb;

/**
 * A command is larger than {@link RaftConfig#maxCommandBytes()}: it was refused before anything
 * was appended, and retrying it cannot succeed. Split it, or raise the limit (within what the
 * log and the transport can carry; the node checks that when it is built).
 */
public class CommandTooLargeException extends RaftException {
  private static final long serialVersionUID = 1L;

  private final long size;
  private final long limit;

  /** An exception naming the command's size and the limit. */
  public CommandTooLargeException(long size, long limit) {
    super("command of " + size + " bytes is over the limit of " + limit
        + " bytes (RaftConfig.maxCommandBytes)");
    this.size = size;
    this.limit = limit;
  }

  /** The refused command's size in bytes. */
  public long size() {
    return size;
  }

  /** The limit it broke, in bytes. */
  public long limit() {
    return limit;
  }
}
