package io.raftdb.kv.map;

import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable sorted map whose updates return a new map that shares all but O(log n) nodes with
 * the old one (a persistent AVL tree). Holding on to a map is therefore an O(1), consistent
 * snapshot: later updates never disturb it, and it can be read from another thread while the
 * owner goes on updating (every field is final, so a reference published by any happens-before
 * edge, such as handing it to an executor, shows the whole tree).
 *
 * <p>Costs: {@link #get}, {@link #put} and {@link #remove} O(log n); {@link #size()} O(1);
 * iteration O(log n) to start and O(1) amortised per entry; {@link #fromSorted} O(n).
 *
 * <p>Keys and values must not be {@code null}, and keys must not change in a way that affects
 * their order. The map does not copy or inspect values.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class PersistentSortedMap<K, V> implements Iterable<Map.Entry<K, V>> {
  private final AvlNode<K, V> root;
  private final Comparator<? super K> order;

  private PersistentSortedMap(AvlNode<K, V> root, Comparator<? super K> order) {
    this.root = root;
    this.order = order;
  }

  /** The empty map ordered by the keys' natural order. */
  public static <K extends Comparable<? super K>, V> PersistentSortedMap<K, V> empty() {
    return new PersistentSortedMap<>(null, Comparator.naturalOrder());
  }

  /** The empty map ordered by {@code order}. */
  public static <K, V> PersistentSortedMap<K, V> empty(Comparator<? super K> order) {
    return new PersistentSortedMap<>(null, Objects.requireNonNull(order, "order"));
  }

  /**
   * A balanced map of {@code entries}, whose keys must be strictly ascending in {@code order}; the
   * map does not keep the list.
   *
   * @throws IllegalArgumentException if a key is not greater than the one before it
   * @throws NullPointerException if a key or value is {@code null}
   */
  public static <K, V> PersistentSortedMap<K, V> fromSorted(Comparator<? super K> order,
      List<? extends Map.Entry<? extends K, ? extends V>> entries) {
    Objects.requireNonNull(order, "order");
    K previous = null;
    for (int i = 0; i < entries.size(); i++) {
      Map.Entry<? extends K, ? extends V> e = entries.get(i);
      K key = Objects.requireNonNull(e.getKey(), "key");
      Objects.requireNonNull(e.getValue(), "value");
      if (i > 0 && order.compare(previous, key) >= 0) {
        throw new IllegalArgumentException("entry " + i + " is not above the one before it: "
            + previous + " then " + key);
      }
      previous = key;
    }
    return new PersistentSortedMap<>(AvlNode.build(entries, 0, entries.size()), order);
  }

  /** The number of entries. */
  public int size() {
    return AvlNode.size(root);
  }

  /** Whether the map has no entries. */
  public boolean isEmpty() {
    return root == null;
  }

  /** The value of {@code key}, or {@code null} if it has none. */
  public V get(K key) {
    AvlNode<K, V> n = AvlNode.find(root, Objects.requireNonNull(key, "key"), order);
    return n == null ? null : n.value;
  }

  /** Whether {@code key} has a value. */
  public boolean containsKey(K key) {
    return AvlNode.find(root, Objects.requireNonNull(key, "key"), order) != null;
  }

  /**
   * This map with {@code key} mapped to {@code value}; this map itself if {@code key} already
   * maps to this very value object.
   *
   * @throws ArithmeticException if the map already holds {@link Integer#MAX_VALUE} entries
   */
  public PersistentSortedMap<K, V> put(K key, V value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (size() == Integer.MAX_VALUE && !containsKey(key)) {
      throw new ArithmeticException("a persistent map holds at most 2^31-1 entries");
    }
    return with(AvlNode.put(root, key, value, order));
  }

  /** This map without {@code key}; this map itself if {@code key} is absent. */
  public PersistentSortedMap<K, V> remove(K key) {
    return with(AvlNode.remove(root, Objects.requireNonNull(key, "key"), order));
  }

  private PersistentSortedMap<K, V> with(AvlNode<K, V> newRoot) {
    return newRoot == root ? this : new PersistentSortedMap<>(newRoot, order);
  }

  /** The entries in ascending key order. The iterator cannot remove. */
  @Override
  public Iterator<Map.Entry<K, V>> iterator() {
    return new RangeIterator<>(root, null, null, order);
  }

  /**
   * The entries with {@code fromInclusive <= key < toExclusive}, in ascending key order; a
   * {@code null} bound is no bound. Empty if {@code fromInclusive >= toExclusive}. The iterator
   * cannot remove.
   */
  public Iterator<Map.Entry<K, V>> iterator(K fromInclusive, K toExclusive) {
    return new RangeIterator<>(root, fromInclusive, toExclusive, order);
  }

  /** The order of the keys. */
  public Comparator<? super K> comparator() {
    return order;
  }

  /** The tree's height (0 when empty), at most about 1.44 log2(n + 2); for tests and tuning. */
  public int height() {
    return AvlNode.height(root);
  }

  /**
   * Checks the tree's invariants: keys in order, AVL balance, cached heights and sizes.
   *
   * @throws IllegalStateException naming the first violation
   */
  void checkInvariants() {
    AvlNode.check(root, null, null, order);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("{");
    for (Map.Entry<K, V> e : this) {
      s.append(s.length() == 1 ? "" : ", ").append(e);
    }
    return s.append('}').toString();
  }
}
