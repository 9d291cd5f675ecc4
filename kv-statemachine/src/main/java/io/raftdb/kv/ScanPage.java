package io.raftdb.kv;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a {@link KvQuery.Scan}: entries in ascending key order, and where to continue.
 *
 * @param entries the entries, at most the scan's limit
 * @param nextKey the first key in the range that this page did not return (pass it to
 *     {@link KvQuery.Scan#from} for the next page), or empty if the range holds no more
 */
public record ScanPage(List<KvEntry> entries, Optional<ByteString> nextKey) {
  /** Copies the list and checks that no part is {@code null}. */
  public ScanPage {
    entries = List.copyOf(entries);
    Objects.requireNonNull(nextKey, "nextKey");
  }

  /** Whether the range holds more entries after this page. */
  public boolean hasMore() {
    return nextKey.isPresent();
  }
}
