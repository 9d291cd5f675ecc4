package io.raftdb.kv.map;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One immutable node of a persistent AVL tree, and the path-copying algorithms on such trees.
 * {@code null} is the empty tree. An update never changes a node: it builds new nodes along the
 * path from the root to the change and shares every other subtree with the old tree, so any root
 * ever handed out keeps describing the same map forever (and may be read from any thread).
 *
 * <p>AVL rather than red-black: the stricter balance (height at most about 1.44 log2 n) keeps
 * lookups and range-scan starts short, and rebalancing needs only the two children's heights,
 * which keeps the path-copying code small. Each node also counts its subtree, so that the size is
 * O(1) and a balanced tree can be built bottom-up from a sorted run.
 *
 * <p>The node is its own {@link Map.Entry} so that iteration allocates nothing per entry.
 */
final class AvlNode<K, V> implements Map.Entry<K, V> {
  final K key;
  final V value;
  final AvlNode<K, V> left;
  final AvlNode<K, V> right;
  final int height;
  final int size;

  private AvlNode(K key, V value, AvlNode<K, V> left, AvlNode<K, V> right) {
    this.key = key;
    this.value = value;
    this.left = left;
    this.right = right;
    this.height = Math.max(height(left), height(right)) + 1;
    this.size = size(left) + size(right) + 1;
  }

  static int height(AvlNode<?, ?> n) {
    return n == null ? 0 : n.height;
  }

  static int size(AvlNode<?, ?> n) {
    return n == null ? 0 : n.size;
  }

  /** The node holding {@code key}, or {@code null}. */
  static <K, V> AvlNode<K, V> find(AvlNode<K, V> n, K key, Comparator<? super K> order) {
    while (n != null) {
      int c = order.compare(key, n.key);
      if (c == 0) {
        return n;
      }
      n = c < 0 ? n.left : n.right;
    }
    return null;
  }

  /** The tree with {@code key} mapped to {@code value}; {@code n} itself if nothing changes. */
  static <K, V> AvlNode<K, V> put(AvlNode<K, V> n, K key, V value, Comparator<? super K> order) {
    if (n == null) {
      return new AvlNode<>(key, value, null, null);
    }
    int c = order.compare(key, n.key);
    if (c < 0) {
      AvlNode<K, V> l = put(n.left, key, value, order);
      return l == n.left ? n : balance(n.key, n.value, l, n.right);
    }
    if (c > 0) {
      AvlNode<K, V> r = put(n.right, key, value, order);
      return r == n.right ? n : balance(n.key, n.value, n.left, r);
    }
    // Identity, not equals: an equal but distinct value is still a change the caller asked for.
    return value == n.value ? n : new AvlNode<>(n.key, value, n.left, n.right);
  }

  /** The tree without {@code key}; {@code n} itself if the key is absent. */
  static <K, V> AvlNode<K, V> remove(AvlNode<K, V> n, K key, Comparator<? super K> order) {
    if (n == null) {
      return null;
    }
    int c = order.compare(key, n.key);
    if (c < 0) {
      AvlNode<K, V> l = remove(n.left, key, order);
      return l == n.left ? n : balance(n.key, n.value, l, n.right);
    }
    if (c > 0) {
      AvlNode<K, V> r = remove(n.right, key, order);
      return r == n.right ? n : balance(n.key, n.value, n.left, r);
    }
    if (n.left == null) {
      return n.right;
    }
    if (n.right == null) {
      return n.left;
    }
    AvlNode<K, V> successor = n.right;
    while (successor.left != null) {
      successor = successor.left;
    }
    return balance(successor.key, successor.value, n.left, removeFirst(n.right));
  }

  private static <K, V> AvlNode<K, V> removeFirst(AvlNode<K, V> n) {
    if (n.left == null) {
      return n.right;
    }
    return balance(n.key, n.value, removeFirst(n.left), n.right);
  }

  /**
   * A node for {@code key} over two subtrees whose heights differ by at most two (what one insert
   * or removal below can cause), rotated so that they differ by at most one.
   */
  private static <K, V> AvlNode<K, V> balance(K key, V value, AvlNode<K, V> l,
      AvlNode<K, V> r) {
    int lh = height(l);
    int rh = height(r);
    if (lh > rh + 1) {
      if (height(l.left) >= height(l.right)) {
        return new AvlNode<>(l.key, l.value, l.left, new AvlNode<>(key, value, l.right, r));
      }
      AvlNode<K, V> lr = l.right;
      return new AvlNode<>(lr.key, lr.value, new AvlNode<>(l.key, l.value, l.left, lr.left),
          new AvlNode<>(key, value, lr.right, r));
    }
    if (rh > lh + 1) {
      if (height(r.right) >= height(r.left)) {
        return new AvlNode<>(r.key, r.value, new AvlNode<>(key, value, l, r.left), r.right);
      }
      AvlNode<K, V> rl = r.left;
      return new AvlNode<>(rl.key, rl.value, new AvlNode<>(key, value, l, rl.left),
          new AvlNode<>(r.key, r.value, rl.right, r.right));
    }
    return new AvlNode<>(key, value, l, r);
  }

  /**
   * A perfectly balanced tree of {@code entries[from, to)}, which the caller has checked to be
   * strictly ascending. Splitting at the middle makes sibling subtrees differ in size by at most
   * one, hence in height by at most one, so the result is a valid AVL tree in O(n).
   */
  static <K, V> AvlNode<K, V> build(List<? extends Map.Entry<? extends K, ? extends V>> entries,
      int from, int to) {
    if (from >= to) {
      return null;
    }
    int mid = (from + to) >>> 1;
    Map.Entry<? extends K, ? extends V> e = entries.get(mid);
    return new AvlNode<>(e.getKey(), e.getValue(), build(entries, from, mid),
        build(entries, mid + 1, to));
  }

  /**
   * Checks every invariant of the subtree (order within the open bounds, AVL balance, cached
   * heights and sizes) and returns its height; for tests.
   */
  static <K, V> int check(AvlNode<K, V> n, K low, K high, Comparator<? super K> order) {
    if (n == null) {
      return 0;
    }
    if (low != null && order.compare(n.key, low) <= 0
        || high != null && order.compare(n.key, high) >= 0) {
      throw new IllegalStateException("key " + n.key + " outside (" + low + ", " + high + ")");
    }
    int lh = check(n.left, low, n.key, order);
    int rh = check(n.right, n.key, high, order);
    if (Math.abs(lh - rh) > 1) {
      throw new IllegalStateException("unbalanced at " + n.key + ": " + lh + " vs " + rh);
    }
    if (n.height != Math.max(lh, rh) + 1 || n.size != size(n.left) + size(n.right) + 1) {
      throw new IllegalStateException("stale height or size at " + n.key);
    }
    return n.height;
  }

  @Override
  public K getKey() {
    return key;
  }

  @Override
  public V getValue() {
    return value;
  }

  /** Always throws: the tree is immutable. */
  @Override
  public V setValue(V v) {
    throw new UnsupportedOperationException("persistent map entries are immutable");
  }

  // Map.Entry's contract, so that entries compare equal to those of java.util maps.
  @Override
  public boolean equals(Object o) {
    return o instanceof Map.Entry<?, ?> e
        && Objects.equals(key, e.getKey())
        && Objects.equals(value, e.getValue());
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(key) ^ Objects.hashCode(value);
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
