package io.raftdb.kv;

import java.util.List;

/** What a command batch and a query batch both demand of their elements. */
final class BatchRules {
  private BatchRules() {}

  /**
   * An immutable copy of {@code elements}, checked: at least one, none itself a batch.
   *
   * @param batchType the batch record the elements go into
   * @param noun what an element is called in the error ("command", "query")
   */
  static <T> List<T> check(List<T> elements, Class<?> batchType, String noun) {
    List<T> copy = List.copyOf(elements);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one " + noun);
    }
    for (T element : copy) {
      if (batchType.isInstance(element)) {
        throw new IllegalArgumentException("batches do not nest");
      }
    }
    return copy;
  }
}
