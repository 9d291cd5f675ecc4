package io.raftdb.kv.map;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Walks the entries of one immutable tree in key order, from a lower bound (inclusive) to an
 * upper bound (exclusive), either of them absent. Because the tree never changes, the walk needs
 * no modification checks and may run on any thread while the map it came from is updated.
 *
 * <p>The stack holds the nodes whose own entry and right subtree are still to come; an AVL tree
 * of height h needs at most h of them, so a fixed array suffices.
 */
final class RangeIterator<K, V> implements Iterator<Map.Entry<K, V>> {
  private final AvlNode<K, V>[] stack;
  private final K toExclusive;
  private final Comparator<? super K> order;
  private int depth;

  @SuppressWarnings("unchecked")
  RangeIterator(AvlNode<K, V> root, K fromInclusive, K toExclusive,
      Comparator<? super K> order) {
    this.stack = (AvlNode<K, V>[]) new AvlNode<?, ?>[AvlNode.height(root)];
    this.toExclusive = toExclusive;
    this.order = order;
    // Descend to the first key >= fromInclusive, keeping the nodes we turned left at: they are
    // exactly the ancestors whose entries are still ahead of us.
    AvlNode<K, V> n = root;
    while (n != null) {
      if (fromInclusive == null || order.compare(fromInclusive, n.key) <= 0) {
        stack[depth++] = n;
        n = n.left;
      } else {
        n = n.right;
      }
    }
  }

  @Override
  public boolean hasNext() {
    return depth > 0
        && (toExclusive == null || order.compare(stack[depth - 1].key, toExclusive) < 0);
  }

  @Override
  public Map.Entry<K, V> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    AvlNode<K, V> n = stack[--depth];
    stack[depth] = null;
    for (AvlNode<K, V> m = n.right; m != null; m = m.left) {
      stack[depth++] = m;
    }
    return n;
  }
}
