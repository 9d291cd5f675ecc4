package io.raftdb.message;

import io.raftdb.RaftException;

/**
 * Bytes could not be decoded: truncated, corrupt (checksum mismatch), of an unknown version or
 * type, with a length or count out of bounds, or with contents that no honest sender writes
 * (a negative term, entries out of sequence). Nothing is partially decoded.
 */
public class CodecException extends RaftException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public CodecException(String message) {
    super(message);
  }

  /** An exception with a message and the cause. */
  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
