package io.raftdb.server.resp;

import io.raftdb.kv.BatchResult;

/** One command's share of a batch's outcomes: its requests' results, in its own numbering. */
final class Outcomes {
  static final Outcomes NONE = new Outcomes(null, 0);

  private final BatchResult batch;
  private final int offset;

  Outcomes(BatchResult batch, int offset) {
    this.batch = batch;
    this.offset = offset;
  }

  /**
   * The result of this command's {@code i}-th request.
   *
   * @throws io.raftdb.kv.KvException if the store refused that request
   */
  @SuppressWarnings("unchecked")
  <R> R get(int i) {
    return (R) batch.get(offset + i);
  }
}
