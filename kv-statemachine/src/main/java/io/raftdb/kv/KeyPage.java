package io.raftdb.kv;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a {@link KvQuery.ScanKeys}: the matching keys among those examined, in key order,
 * and where the next step starts if keys remain.
 *
 * @param keys the matching keys of this step (possibly none, if none of those examined matched)
 * @param nextKey the first key not yet examined, or empty when the scan has reached the end
 */
public record KeyPage(List<ByteString> keys, Optional<ByteString> nextKey) {
  /** Freezes the keys. */
  public KeyPage {
    keys = List.copyOf(keys);
    Objects.requireNonNull(nextKey, "nextKey");
  }
}
