package io.raftdb.kv;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcomes of a {@link KvCommand.Batch} or {@link KvQuery.Batch}, one per request in order.
 * Each request succeeds or fails on its own (an increment of a non-integer fails; the requests
 * beside it still apply), as the commands of a Redis pipeline do.
 */
public final class BatchResult {
  private final List<Object> outcomes;

  BatchResult(List<Object> outcomes) {
    this.outcomes = List.copyOf(outcomes);
  }

  /** How many outcomes: the number of requests in the batch. */
  public int size() {
    return outcomes.size();
  }

  /**
   * The result of request {@code i}, of that request's result type.
   *
   * @throws KvException if the store refused that request
   */
  public Object get(int i) {
    Object outcome = outcomes.get(i);
    if (outcome instanceof KvException e) {
      throw new KvException(e.error(), e.detail());
    }
    return outcome;
  }

  /** The result of request {@code i}, typed by the request it answers (see {@link #get}). */
  @SuppressWarnings("unchecked") // the batch's decoder stored each request's own result type
  public <R> R get(int i, KvRequest<R> request) {
    Objects.requireNonNull(request, "request");
    return (R) get(i);
  }

  /** Whether request {@code i} was refused. */
  public boolean failed(int i) {
    return outcomes.get(i) instanceof KvException;
  }

  /** Why request {@code i} was refused, or empty if it was not. */
  public Optional<KvError> error(int i) {
    return outcomes.get(i) instanceof KvException e ? Optional.of(e.error()) : Optional.empty();
  }

  @Override
  public String toString() {
    return "BatchResult" + outcomes;
  }
}
