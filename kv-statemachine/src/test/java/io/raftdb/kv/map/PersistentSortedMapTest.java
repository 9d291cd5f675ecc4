package io.raftdb.kv.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PersistentSortedMapTest {

  /** The AVL height bound: h < 1.4405 log2(n + 2) - 0.3277. */
  private static double maxAvlHeight(int n) {
    return 1.4405 * Math.log(n + 2) / Math.log(2) - 0.3277;
  }

  private static List<Map.Entry<Integer, Integer>> entries(Iterator<Map.Entry<Integer, Integer>> it) {
    List<Map.Entry<Integer, Integer>> out = new ArrayList<>();
    it.forEachRemaining(e -> out.add(new SimpleImmutableEntry<>(e.getKey(), e.getValue())));
    return out;
  }

  private static List<Map.Entry<Integer, Integer>> entries(Map<Integer, Integer> map) {
    return entries(map.entrySet().iterator());
  }

  private static void assertSameContents(NavigableMap<Integer, Integer> expected,
      PersistentSortedMap<Integer, Integer> actual) {
    assertEquals(expected.size(), actual.size());
    assertEquals(expected.isEmpty(), actual.isEmpty());
    assertEquals(entries(expected), entries(actual.iterator()));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 20240601})
  void randomUpdatesMatchTreeMapAndOldVersionsNeverChange(long seed) {
    Random random = new Random(seed);
    int keySpace = 1 + random.nextInt(2000);
    PersistentSortedMap<Integer, Integer> map = PersistentSortedMap.empty();
    TreeMap<Integer, Integer> model = new TreeMap<>();
    List<PersistentSortedMap<Integer, Integer>> versions = new ArrayList<>();
    List<TreeMap<Integer, Integer>> versionModels = new ArrayList<>();

    for (int step = 0; step < 20_000; step++) {
      int key = random.nextInt(keySpace);
      int op = random.nextInt(10);
      if (op < 6) {
        int value = random.nextInt();
        map = map.put(key, value);
        model.put(key, value);
      } else if (op < 9) {
        map = map.remove(key);
        model.remove(key);
      } else {
        assertEquals(model.get(key), map.get(key));
        assertEquals(model.containsKey(key), map.containsKey(key));
      }
      if (step % 997 == 0) {
        map.checkInvariants();
        assertSameContents(model, map);
        versions.add(map);
        versionModels.add(new TreeMap<>(model));
      }
    }
    map.checkInvariants();
    assertSameContents(model, map);
    for (int i = 0; i < versions.size(); i++) {
      versions.get(i).checkInvariants();
      assertSameContents(versionModels.get(i), versions.get(i));
    }
  }

  @Test
  void heightStaysWithinTheAvlBoundForSortedInsertsAndRemovals() {
    PersistentSortedMap<Integer, Integer> map = PersistentSortedMap.empty();
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      map = map.put(i, i); // ascending inserts would make a plain search tree a list
    }
    map.checkInvariants();
    assertTrue(map.height() <= maxAvlHeight(n), "height " + map.height() + " for " + n);
    for (int i = 0; i < n; i += 2) {
      map = map.remove(i);
    }
    for (int i = n - 1; i > n / 2; i -= 2) {
      map = map.remove(i);
    }
    map.checkInvariants();
    assertTrue(map.height() <= maxAvlHeight(map.size()),
        "height " + map.height() + " for " + map.size());
  }

  @ParameterizedTest
  @ValueSource(longs = {7, 8, 9})
  void rangeIterationMatchesTreeMapSubMaps(long seed) {
    Random random = new Random(seed);
    PersistentSortedMap<Integer, Integer> map = PersistentSortedMap.empty();
    TreeMap<Integer, Integer> model = new TreeMap<>();
    for (int i = 0; i < 500; i++) {
      int key = random.nextInt(1000) * 2; // even keys, so odd bounds fall between entries
      map = map.put(key, i);
      model.put(key, i);
    }
    for (int round = 0; round < 2000; round++) {
      Integer from = random.nextInt(8) == 0 ? null : random.nextInt(2010) - 5;
      Integer to = random.nextInt(8) == 0 ? null : random.nextInt(2010) - 5;
      NavigableMap<Integer, Integer> expected;
      if (from != null && to != null && from >= to) {
        expected = new TreeMap<>();
      } else if (from == null && to == null) {
        expected = model;
      } else if (from == null) {
        expected = model.headMap(to, false);
      } else if (to == null) {
        expected = model.tailMap(from, true);
      } else {
        expected = model.subMap(from, true, to, false);
      }
      int limit = 1 + random.nextInt(50);
      List<Map.Entry<Integer, Integer>> want = entries(expected);
      want = want.subList(0, Math.min(limit, want.size()));
      Iterator<Map.Entry<Integer, Integer>> it = map.iterator(from, to);
      List<Map.Entry<Integer, Integer>> got = new ArrayList<>();
      while (got.size() < limit && it.hasNext()) {
        Map.Entry<Integer, Integer> e = it.next();
        got.add(new SimpleImmutableEntry<>(e.getKey(), e.getValue()));
      }
      assertEquals(want, got, "range [" + from + ", " + to + ") limit " + limit);
      assertEquals(expected.size() > limit, it.hasNext());
    }
  }

  @Test
  void iteratorsEndCleanlyAndEntriesAreImmutable() {
    PersistentSortedMap<Integer, Integer> map = PersistentSortedMap.<Integer, Integer>empty()
        .put(1, 10);
    Iterator<Map.Entry<Integer, Integer>> it = map.iterator();
    Map.Entry<Integer, Integer> e = it.next();
    assertEquals(Map.entry(1, 10), e);
    assertThrows(UnsupportedOperationException.class, () -> e.setValue(11));
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
    assertFalse(PersistentSortedMap.<Integer, Integer>empty().iterator().hasNext());
    assertFalse(map.iterator(2, null).hasNext());
  }

  @Test
  void unchangedUpdatesReturnTheSameMap() {
    Integer value = 1000; // one boxed object, so that identity holds
    PersistentSortedMap<Integer, Integer> map = PersistentSortedMap.<Integer, Integer>empty()
        .put(1, value).put(2, 2);
    assertSame(map, map.put(1, value));
    assertSame(map, map.remove(3));
    assertEquals(2, map.size());
    PersistentSortedMap<Integer, Integer> emptied = map.remove(1).remove(2);
    assertTrue(emptied.isEmpty());
    assertEquals(0, emptied.height());
    assertNull(emptied.get(1));
  }

  @Test
  void nullKeysAndValuesAreRefused() {
    PersistentSortedMap<Integer, Integer> map = PersistentSortedMap.empty();
    assertThrows(NullPointerException.class, () -> map.put(null, 1));
    assertThrows(NullPointerException.class, () -> map.put(1, null));
    assertThrows(NullPointerException.class, () -> map.get(null));
    assertThrows(NullPointerException.class, () -> map.remove(null));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 7, 8, 100, 65_535, 65_536, 100_001})
  void fromSortedBuildsABalancedTreeOfTheEntries(int n) {
    List<Map.Entry<Integer, Integer>> sorted = new ArrayList<>();
    TreeMap<Integer, Integer> model = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      sorted.add(Map.entry(i * 3, -i));
      model.put(i * 3, -i);
    }
    PersistentSortedMap<Integer, Integer> map =
        PersistentSortedMap.fromSorted(Comparator.<Integer>naturalOrder(), sorted);
    map.checkInvariants();
    assertSameContents(model, map);
    // Built bottom-up from the middle, the tree is as low as any binary tree of n keys can be.
    assertEquals(32 - Integer.numberOfLeadingZeros(n), map.height());
    // And it is an ordinary map afterwards.
    PersistentSortedMap<Integer, Integer> more = map.put(1, 1).remove(0);
    more.checkInvariants();
    model.put(1, 1);
    model.remove(0);
    assertSameContents(model, more);
  }

  @Test
  void fromSortedRefusesUnsortedOrDuplicateKeys() {
    Comparator<Integer> order = Comparator.naturalOrder();
    IllegalArgumentException unsorted = assertThrows(IllegalArgumentException.class,
        () -> PersistentSortedMap.fromSorted(order,
            List.of(Map.entry(1, 1), Map.entry(3, 3), Map.entry(2, 2))));
    assertTrue(unsorted.getMessage().contains("entry 2"), unsorted.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PersistentSortedMap.fromSorted(order,
        List.of(Map.entry(1, 1), Map.entry(1, 2))));
  }

  @Test
  void aComparatorOrdersTheKeys() {
    PersistentSortedMap<String, Integer> map =
        PersistentSortedMap.<String, Integer>empty(Comparator.reverseOrder())
            .put("a", 1).put("c", 3).put("b", 2);
    assertEquals("{c=3, b=2, a=1}", map.toString());
    assertEquals(List.of("b", "a"), keys(map.iterator("b", null)));
    assertEquals(List.of("c"), keys(map.iterator(null, "b")));
  }

  private static List<String> keys(Iterator<Map.Entry<String, Integer>> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(e -> out.add(e.getKey()));
    return out;
  }
}
