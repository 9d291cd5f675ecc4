package io.raftdb;

/**
 * A membership change the leader refused: another change is not yet committed, the leader has
 * not yet committed an entry of its term, or the change is not one step from the membership in
 * effect (see {@link Membership#canChangeTo}). Nothing was changed; the first two clear up by
 * themselves, so a retry shortly after succeeds.
 */
public class MembershipChangeException extends RaftException {
  private static final long serialVersionUID = 1L;
  private final boolean isTransient;

  /**
   * An exception saying why the change was refused.
   *
   * @param isTransient whether the reason passes by itself (then retrying is right)
   */
  public MembershipChangeException(String message, boolean isTransient) {
    super(message);
    this.isTransient = isTransient;
  }

  /**
   * Whether the reason passes by itself: another change is not yet committed, or the leader has
   * not yet committed an entry of its term. Retry then; a change that is not one step from the
   * membership in effect stays refused.
   */
  public boolean isTransient() {
    return isTransient;
  }
}
