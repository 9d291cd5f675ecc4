package io.raftdb.testkit.linearizability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The 6.824 key-value service as a {@link Model}: {@code Get}, {@code Put} and {@code Append} on
 * string keys, a missing key reading as "" and an append to it acting as a put. Histories split
 * by key; the state of a part is the one key's value, a {@link KvValue}. The output of a {@code Get} is the value
 * read; the outputs of writes are ignored.
 */
public final class KvModel implements Model<KvValue, KvModel.Input, String> {
  /** The one instance: the model has no configuration. */
  public static final KvModel INSTANCE = new KvModel();

  /** The three operations. */
  public enum Kind {
    /** Reads a key. */
    GET,
    /** Sets a key's value. */
    PUT,
    /** Appends to a key's value. */
    APPEND
  }

  /**
   * One operation's input.
   *
   * @param kind the operation
   * @param key the key
   * @param value the value written ("" for a get)
   */
  public record Input(Kind kind, String key, String value) {
    /** Checks that no part is {@code null}. */
    public Input {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    /** A get of {@code key}. */
    public static Input get(String key) {
      return new Input(Kind.GET, key, "");
    }

    /** A put of {@code value} at {@code key}. */
    public static Input put(String key, String value) {
      return new Input(Kind.PUT, key, value);
    }

    /** An append of {@code value} to {@code key}. */
    public static Input append(String key, String value) {
      return new Input(Kind.APPEND, key, value);
    }
  }

  private KvModel() {}

  @Override
  public KvValue initialState() {
    return KvValue.EMPTY;
  }

  @Override
  public KvValue step(KvValue state, Input input, String output) {
    return switch (input.kind()) {
      case GET -> output == null || state.contentEquals(output) ? state : null;
      case PUT -> KvValue.of(input.value());
      case APPEND -> state.append(input.value());
    };
  }

  /**
   * One part per key. A {@code Get} of unknown outcome is left out: it changes nothing and
   * constrains nothing, yet each one pending would double the sets of operations the search can
   * reach, so a few dozen of them (clerks timing out in a partition) could exhaust the time limit.
   */
  @Override
  public List<List<Operation<Input, String>>> partition(List<Operation<Input, String>> history) {
    Map<String, List<Operation<Input, String>>> byKey = new LinkedHashMap<>();
    for (Operation<Input, String> op : history) {
      if (op.input().kind() == Kind.GET && !op.outcomeKnown()) {
        continue;
      }
      byKey.computeIfAbsent(op.input().key(), k -> new ArrayList<>()).add(op);
    }
    return new ArrayList<>(byKey.values());
  }

  @Override
  public String describe(Input input, String output) {
    return switch (input.kind()) {
      case GET -> "get(" + quote(input.key()) + ") -> " + (output == null ? "?" : quote(output));
      case PUT -> "put(" + quote(input.key()) + ", " + quote(input.value()) + ")";
      case APPEND -> "append(" + quote(input.key()) + ", " + quote(input.value()) + ")";
    };
  }

  @Override
  public String describe(KvValue state) {
    return state.shortForm();
  }

  private static String quote(String s) {
    return '"' + s + '"';
  }
}
