package io.raftdb.message;

import io.raftdb.RaftException;

/**
 * Bytes could not be decoded: truncated, corrupt (checksum mismatch), of an unknown version or
 * type, or with a length field out of bounds. Nothing is partially decoded.
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
