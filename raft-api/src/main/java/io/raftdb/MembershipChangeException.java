package io.raftdb;

/**
 * A membership change the leader refused: another change is not yet committed, the leader has
 * not yet committed an entry of its term, or the change is not one step from the membership in
 * effect (see {@link Membership#canChangeTo}). Nothing was changed; the first two clear up by
 * themselves, so a retry shortly after succeeds.
 */
public class MembershipChangeException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** An exception saying why the change was refused. */
  public MembershipChangeException(String message) {
    super(message);
  }
}
