package io.raftdb.core.protocol;

import io.raftdb.Membership;
import java.util.ArrayList;

/**
 * The memberships in a node's log (thesis §4.1): the one its snapshot holds, then one per
 * membership entry after it. The newest is in effect, committed or not; truncating the log
 * brings back the one before. Membership entries are rare, so a short list does.
 */
final class MembershipLog {
  private final ArrayList<Long> indexes = new ArrayList<>();
  private final ArrayList<Membership> memberships = new ArrayList<>();

  /** Starts from {@code base}, in effect from {@code index} (a snapshot's, or 0). */
  MembershipLog(long index, Membership base) {
    resetTo(index, base);
  }

  /** The membership in effect: the newest in the log. */
  Membership current() {
    return memberships.get(memberships.size() - 1);
  }

  /** The index of the entry (or snapshot) that set the membership in effect. */
  long currentIndex() {
    return indexes.get(indexes.size() - 1);
  }

  /**
   * Whether the log holds the group's founding membership alone: no snapshot, no change. Such a
   * group has never had members other than its founders.
   */
  boolean founding() {
    return indexes.size() == 1 && indexes.get(0) == 0;
  }

  /** The membership before the one in effect, or {@code null} if the log holds no older one. */
  Membership previous() {
    return memberships.size() < 2 ? null : memberships.get(memberships.size() - 2);
  }

  /** A membership entry was appended at {@code index}. */
  void appended(long index, Membership m) {
    if (index <= currentIndex()) {
      throw new IllegalStateException("membership at " + index + " after one at " + currentIndex());
    }
    indexes.add(index);
    memberships.add(m);
  }

  /**
   * The log lost its entries from {@code index} on.
   *
   * @return whether the membership in effect changed
   */
  boolean truncatedFrom(long index) {
    boolean changed = false;
    while (indexes.size() > 1 && currentIndex() >= index) {
      indexes.remove(indexes.size() - 1);
      memberships.remove(memberships.size() - 1);
      changed = true;
    }
    return changed;
  }

  /** The log was replaced by a snapshot at {@code index} holding {@code m}. */
  void resetTo(long index, Membership m) {
    indexes.clear();
    memberships.clear();
    indexes.add(index);
    memberships.add(m);
  }

  /** A snapshot at {@code index} is durable: older memberships will never come back. */
  void compactTo(long index) {
    while (indexes.size() > 1 && indexes.get(1) <= index) {
      indexes.remove(0);
      memberships.remove(0);
    }
  }
}
