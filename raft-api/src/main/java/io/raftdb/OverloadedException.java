package io.raftdb;

/**
 * The node has reached one of its bounds (pending proposals, their bytes, or pending reads; see
 * {@link RaftConfig}) and refused the request at once instead of queueing it. Nothing was
 * appended. Back off and retry; the same request may well succeed a moment later.
 */
public class OverloadedException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** An exception naming the bound that was reached. */
  public OverloadedException(String what) {
    super(what);
  }
}
