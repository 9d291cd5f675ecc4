package io.raftdb;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who belongs to a Raft group and how (thesis chapter 4). Every member is either a voter, which
 * votes and counts toward commitment, or a learner, which receives the log but does neither.
 * During a joint change (§4.3) the group has two voter sets, {@link #voters()} (the incoming
 * ones) and {@link #outgoingVoters()}, and every decision needs a majority of each.
 *
 * <p>A membership takes effect on a node as soon as its entry is in the node's log, committed or
 * not (§4.1), and is in every snapshot. The transitions below are the only ones a leader accepts,
 * one at a time: each changes the voters by at most one, or enters or leaves a joint change.
 *
 * @param voters the voters (the incoming voters during a joint change); empty only on a node
 *     that is waiting to learn its group's membership from a leader
 * @param outgoingVoters the voters being replaced during a joint change, else empty
 * @param learners the non-voting members
 * @param promotable the learners that the leader promotes to voters by itself once their log is
 *     close enough to its own ({@link RaftConfig#promotionLag()})
 * @param addresses where the transport reaches members that joined after the group was founded
 *     ({@code host:port} for TCP), so that every node, leader or not, learns them with the
 *     change that added them; members a node's transport was configured with need none
 */
public record Membership(Set<NodeId> voters, Set<NodeId> outgoingVoters, Set<NodeId> learners,
    Set<NodeId> promotable, Map<NodeId, String> addresses) {

  /** The longest address a membership holds. */
  public static final int MAX_ADDRESS_LENGTH = 255;

  /** The membership of a node that has not yet learned its group's. */
  public static final Membership NONE = new Membership(Set.of(), Set.of(), Set.of(), Set.of());

  /** Validates the sets, which must not overlap where roles exclude each other, and sorts them. */
  public Membership {
    voters = sorted(voters, "voters");
    outgoingVoters = sorted(outgoingVoters, "outgoingVoters");
    learners = sorted(learners, "learners");
    promotable = sorted(promotable, "promotable");
    addresses = Collections.unmodifiableSortedMap(
        new TreeMap<>(Objects.requireNonNull(addresses, "addresses")));
    if (voters.isEmpty() && !(outgoingVoters.isEmpty() && learners.isEmpty())) {
      throw new IllegalArgumentException("a membership with members needs a voter");
    }
    for (NodeId learner : learners) {
      if (voters.contains(learner) || outgoingVoters.contains(learner)) {
        throw new IllegalArgumentException(learner + " cannot be both a voter and a learner");
      }
    }
    if (!learners.containsAll(promotable)) {
      throw new IllegalArgumentException("promotable " + promotable + " must be learners, not "
          + "all are in " + learners);
    }
    for (Map.Entry<NodeId, String> a : addresses.entrySet()) {
      if (!voters.contains(a.getKey()) && !outgoingVoters.contains(a.getKey())
          && !learners.contains(a.getKey())) {
        throw new IllegalArgumentException("address of " + a.getKey() + ", not a member");
      }
      if (a.getValue().isEmpty() || a.getValue().length() > MAX_ADDRESS_LENGTH) {
        throw new IllegalArgumentException("address of " + a.getKey() + " must be 1.."
            + MAX_ADDRESS_LENGTH + " characters");
      }
    }
  }

  /** A membership of members without addresses. */
  public Membership(Set<NodeId> voters, Set<NodeId> outgoingVoters, Set<NodeId> learners,
      Set<NodeId> promotable) {
    this(voters, outgoingVoters, learners, promotable, Map.of());
  }

  /** A group of these voters and no learners. */
  public static Membership ofVoters(Collection<NodeId> voters) {
    return new Membership(Set.copyOf(voters), Set.of(), Set.of(), Set.of());
  }

  /** Whether this is a joint change, with two voter sets. */
  public boolean isJoint() {
    return !outgoingVoters.isEmpty();
  }

  /** Whether {@code id} votes (in either voter set). */
  public boolean isVoter(NodeId id) {
    return voters.contains(id) || outgoingVoters.contains(id);
  }

  /** Whether {@code id} is a member at all. */
  public boolean contains(NodeId id) {
    return isVoter(id) || learners.contains(id);
  }

  /** Every member, voter or learner, in order. */
  public SortedSet<NodeId> members() {
    TreeSet<NodeId> all = new TreeSet<>(voters);
    all.addAll(outgoingVoters);
    all.addAll(learners);
    return Collections.unmodifiableSortedSet(all);
  }

  /** Every voter of either set, in order. */
  public SortedSet<NodeId> allVoters() {
    TreeSet<NodeId> all = new TreeSet<>(voters);
    all.addAll(outgoingVoters);
    return Collections.unmodifiableSortedSet(all);
  }

  /**
   * This membership with {@code id} added as a learner.
   *
   * @param promote whether the leader promotes it to voter by itself once it has caught up
   * @throws IllegalArgumentException if it is a member already
   */
  public Membership withLearner(NodeId id, boolean promote) {
    return withLearner(id, null, promote);
  }

  /**
   * This membership with {@code id} added as a learner that the transport reaches at
   * {@code address} (none if {@code null}).
   *
   * @throws IllegalArgumentException if it is a member already, or the address is too long
   */
  public Membership withLearner(NodeId id, String address, boolean promote) {
    requireSettled();
    if (contains(id)) {
      throw new IllegalArgumentException(id + " is already a member of " + this);
    }
    Map<NodeId, String> withAddress = new TreeMap<>(addresses);
    if (address != null) {
      withAddress.put(id, address);
    }
    return new Membership(voters, outgoingVoters, plus(learners, id),
        promote ? plus(promotable, id) : promotable, withAddress);
  }

  /**
   * This membership with learner {@code id} made a voter.
   *
   * @throws IllegalArgumentException if it is not a learner, or a joint change is under way
   */
  public Membership withPromoted(NodeId id) {
    requireSettled();
    if (!learners.contains(id)) {
      throw new IllegalArgumentException(id + " is not a learner of " + this);
    }
    return new Membership(plus(voters, id), outgoingVoters, minus(learners, id),
        minus(promotable, id), addresses);
  }

  /**
   * This membership without {@code id}, voter or learner.
   *
   * @throws IllegalArgumentException if it is not a member, is the last voter, or a joint change
   *     is under way
   */
  public Membership without(NodeId id) {
    requireSettled();
    if (!contains(id)) {
      throw new IllegalArgumentException(id + " is not a member of " + this);
    }
    if (voters.equals(Set.of(id))) {
      throw new IllegalArgumentException("cannot remove " + id + ", the last voter");
    }
    Map<NodeId, String> rest = new TreeMap<>(addresses);
    rest.remove(id);
    return new Membership(minus(voters, id), outgoingVoters, minus(learners, id),
        minus(promotable, id), rest);
  }

  /**
   * The change to exactly these voters: a single step when the voters change by at most one
   * (§4.1), otherwise the joint membership that the leader leaves by itself once it is committed
   * (§4.3). New voters that were learners stop being learners; removed voters leave the group.
   *
   * @throws IllegalArgumentException if {@code newVoters} is empty, or a joint change is under
   *     way
   */
  public Membership withVoters(Collection<NodeId> newVoters) {
    requireSettled();
    Set<NodeId> incoming = Set.copyOf(newVoters);
    if (incoming.isEmpty()) {
      throw new IllegalArgumentException("a group needs at least one voter");
    }
    Set<NodeId> stayingLearners = new TreeSet<>(learners);
    stayingLearners.removeAll(incoming);
    Set<NodeId> stayingPromotable = new TreeSet<>(promotable);
    stayingPromotable.retainAll(stayingLearners);
    boolean singleStep = symmetricDifference(voters, incoming) <= 1;
    Set<NodeId> outgoing = singleStep ? Set.of() : voters;
    return new Membership(incoming, outgoing, stayingLearners, stayingPromotable,
        addressesOf(incoming, outgoing, stayingLearners));
  }

  /**
   * The membership that ends this joint change: the incoming voters alone.
   *
   * @throws IllegalStateException if this is not a joint change
   */
  public Membership leaveJoint() {
    if (!isJoint()) {
      throw new IllegalStateException("not a joint change: " + this);
    }
    return new Membership(voters, Set.of(), learners, promotable,
        addressesOf(voters, Set.of(), learners));
  }

  /**
   * Whether a leader may go from {@code this} to {@code next} in one entry: the voters change by
   * at most one, or a joint change starts from these voters, or one ends keeping its incoming
   * voters.
   */
  public boolean canChangeTo(Membership next) {
    if (isJoint()) {
      return !next.isJoint() && next.voters.equals(voters);
    }
    if (next.isJoint()) {
      return next.outgoingVoters.equals(voters);
    }
    return symmetricDifference(voters, next.voters) <= 1 && !next.voters.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("voters ").append(voters);
    if (isJoint()) {
      s.append(" joint with outgoing ").append(outgoingVoters);
    }
    if (!learners.isEmpty()) {
      s.append(" learners ").append(learners);
      if (!promotable.isEmpty()) {
        s.append(" (to promote ").append(promotable).append(')');
      }
    }
    if (!addresses.isEmpty()) {
      s.append(" at ").append(addresses);
    }
    return s.toString();
  }

  /** The addresses of these members only. */
  private Map<NodeId, String> addressesOf(Set<NodeId> a, Set<NodeId> b, Set<NodeId> c) {
    Map<NodeId, String> kept = new TreeMap<>(addresses);
    kept.keySet().removeIf(id -> !a.contains(id) && !b.contains(id) && !c.contains(id));
    return kept;
  }

  private void requireSettled() {
    if (isJoint()) {
      throw new IllegalArgumentException("a joint change is under way: " + this);
    }
  }

  private static int symmetricDifference(Set<NodeId> a, Set<NodeId> b) {
    int count = 0;
    for (NodeId id : a) {
      count += b.contains(id) ? 0 : 1;
    }
    for (NodeId id : b) {
      count += a.contains(id) ? 0 : 1;
    }
    return count;
  }

  private static Set<NodeId> sorted(Set<NodeId> ids, String name) {
    Objects.requireNonNull(ids, name);
    return Collections.unmodifiableSortedSet(new TreeSet<>(ids));
  }

  private static Set<NodeId> plus(Set<NodeId> ids, NodeId id) {
    TreeSet<NodeId> copy = new TreeSet<>(ids);
    copy.add(Objects.requireNonNull(id, "id"));
    return copy;
  }

  private static Set<NodeId> minus(Set<NodeId> ids, NodeId id) {
    TreeSet<NodeId> copy = new TreeSet<>(ids);
    copy.remove(id);
    return copy;
  }
}
