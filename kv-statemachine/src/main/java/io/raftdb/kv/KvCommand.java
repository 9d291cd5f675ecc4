package io.raftdb.kv;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A write to the key-value store. Encode it with {@link KvCodec#encode}, submit the bytes with
 * {@code RaftNode.submit} (every replica applies it in log order), and decode the result with
 * {@link KvCodec#decodeResult}.
 *
 * @param <R> the type of the command's result
 */
public sealed interface KvCommand<R> extends KvRequest<R> {

  /** Sets {@code key} to {@code value}. */
  static Put put(ByteString key, ByteString value) {
    return new Put(key, value);
  }

  /** Appends {@code value} to the value of {@code key} (creating it if absent). */
  static Append append(ByteString key, ByteString value) {
    return new Append(key, value);
  }

  /** Removes {@code key}. */
  static Delete delete(ByteString key) {
    return new Delete(key);
  }

  /** Sets {@code key} to {@code newValue} if its value is {@code expected}. */
  static CompareAndSet compareAndSet(ByteString key, ByteString expected, ByteString newValue) {
    return new CompareAndSet(key, Optional.of(expected), Optional.of(newValue));
  }

  /** Sets {@code key} to {@code value} if it has no value. */
  static CompareAndSet putIfAbsent(ByteString key, ByteString value) {
    return new CompareAndSet(key, Optional.empty(), Optional.of(value));
  }

  /** Removes {@code key} if its value is {@code expected}. */
  static CompareAndSet deleteIfEquals(ByteString key, ByteString expected) {
    return new CompareAndSet(key, Optional.of(expected), Optional.empty());
  }

  /**
   * Sets {@code key} to {@code value} if {@code condition} holds (Redis's {@code SET NX/XX}).
   */
  static PutIf putIf(ByteString key, ByteString value, PutCondition condition) {
    return new PutIf(key, value, condition);
  }

  /** Adds {@code delta} to the integer value of {@code key} (Redis's {@code INCRBY}). */
  static Increment increment(ByteString key, long delta) {
    return new Increment(key, delta);
  }

  /** Applies {@code commands} in order as one log entry. */
  static Batch batch(List<KvCommand<?>> commands) {
    return new Batch(commands);
  }

  /**
   * Sets a key's value. The result is the previous value, if there was one.
   *
   * @param key the key
   * @param value the new value
   */
  record Put(ByteString key, ByteString value) implements KvCommand<Optional<ByteString>> {
    /** Checks that neither part is {@code null}. */
    public Put {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * Appends bytes to a key's value; an absent key is created with just these bytes. The result is
   * the length of the value afterwards, as Redis's {@code APPEND} answers. An append that would
   * make the value longer than {@link KvLimits#maxValueBytes()} changes nothing and fails with
   * {@link KvError#VALUE_TOO_LARGE}.
   *
   * @param key the key
   * @param value the bytes to append
   */
  record Append(ByteString key, ByteString value) implements KvCommand<Long> {
    /** Checks that neither part is {@code null}. */
    public Append {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * Removes a key. The result is the value it had, if any (so whether it existed).
   *
   * @param key the key
   */
  record Delete(ByteString key) implements KvCommand<Optional<ByteString>> {
    /** Checks that the key is not {@code null}. */
    public Delete {
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * Compare-and-set: if the key's value is {@code expected} (or the key is absent, when
   * {@code expected} is empty), sets it to {@code newValue} (or removes the key, when
   * {@code newValue} is empty). The result says whether it did and what the value is now.
   *
   * @param key the key
   * @param expected the value the key must have, or empty if it must be absent
   * @param newValue the value to set, or empty to remove the key
   */
  record CompareAndSet(ByteString key, Optional<ByteString> expected,
      Optional<ByteString> newValue) implements KvCommand<CasResult> {
    /** Checks that no part is {@code null}. */
    public CompareAndSet {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(expected, "expected");
      Objects.requireNonNull(newValue, "newValue");
    }
  }

  /**
   * Sets a key's value if {@code condition} holds for its value before. The result is that
   * previous value, if there was one, whether or not the put wrote (so
   * {@link PutCondition#applies} of its presence says whether it did).
   *
   * @param key the key
   * @param value the new value
   * @param condition when to write
   */
  record PutIf(ByteString key, ByteString value, PutCondition condition)
      implements KvCommand<Optional<ByteString>> {
    /** Checks that no part is {@code null}. */
    public PutIf {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(condition, "condition");
    }
  }

  /**
   * Adds {@code delta} to a key's value read as a signed 64-bit decimal integer (an absent key
   * counts as 0) and stores the sum in decimal. The result is the sum. The value must be written
   * as Redis writes integers (an optional '-', no '+', no leading zeros, at most 20 characters),
   * else the command fails with {@link KvError#NOT_AN_INTEGER}; a sum beyond 64 bits fails with
   * {@link KvError#OVERFLOW}. A failure changes nothing.
   *
   * @param key the key
   * @param delta what to add (negative to subtract)
   */
  record Increment(ByteString key, long delta) implements KvCommand<Long> {
    /** Checks that the key is not {@code null}. */
    public Increment {
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * Several commands applied in order as one log entry: no reader sees some of them without the
   * others. Each succeeds or fails on its own (an increment of text fails while the commands
   * beside it apply); the result holds each one's outcome. A batch whose encoding is malformed
   * or breaks a limit is refused whole. Batches do not nest.
   *
   * @param commands the commands, at least one
   */
  record Batch(List<KvCommand<?>> commands) implements KvCommand<BatchResult> {
    /**
     * Checks the commands.
     *
     * @throws IllegalArgumentException if there are none, or one is itself a batch
     */
    public Batch {
      commands = BatchRules.check(commands, Batch.class, "command");
    }
  }
}
