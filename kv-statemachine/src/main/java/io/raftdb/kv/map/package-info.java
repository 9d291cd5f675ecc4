/**
 * A persistent (immutable, path-copying) sorted map, {@link io.raftdb.kv.map.PersistentSortedMap}:
 * what lets the key-value store pin a consistent snapshot in O(1) while it goes on applying.
 */
package io.raftdb.kv.map;
