package io.raftdb.kv;

/** When a {@link KvCommand.PutIf} writes its value: Redis's {@code SET}, {@code SET NX}, {@code SET XX}. */
public enum PutCondition {
  /** Always. */
  ALWAYS(0),
  /** Only if the key has no value. */
  IF_ABSENT(1),
  /** Only if the key has a value. */
  IF_PRESENT(2);

  final int code;

  PutCondition(int code) {
    this.code = code;
  }

  /** Whether a put under this condition writes, given the key's value before it. */
  public boolean applies(boolean present) {
    return switch (this) {
      case ALWAYS -> true;
      case IF_ABSENT -> !present;
      case IF_PRESENT -> present;
    };
  }

  static PutCondition ofCode(int code) {
    for (PutCondition c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return null;
  }
}
