package io.raftdb.kv;

import io.raftdb.RaftException;
import java.util.Objects;

/**
 * A request the key-value store refused, or bytes that are not a valid request or result. The
 * {@link #error()} says which; the message says what exactly, naming sizes and limits but never
 * key or value bytes.
 */
public class KvException extends RaftException {
  private static final long serialVersionUID = 1L;

  private final KvError error;
  private final String detail;

  /** An exception for {@code error}, described by {@code detail}. */
  public KvException(KvError error, String detail) {
    super(error + ": " + detail);
    this.error = Objects.requireNonNull(error, "error");
    this.detail = Objects.requireNonNull(detail, "detail");
  }

  /** Which kind of refusal this is. */
  public KvError error() {
    return error;
  }

  /** The message without the error's name, as the state machine wrote it. */
  public String detail() {
    return detail;
  }
}
