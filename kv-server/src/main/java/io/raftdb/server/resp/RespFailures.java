package io.raftdb.server.resp;

import io.raftdb.ClientClosedException;
import io.raftdb.NodeClosedException;
import io.raftdb.OverloadedException;
import io.raftdb.RequestTimeoutException;
import io.raftdb.SessionExpiredException;
import io.raftdb.kv.KvException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The error line a client sees for a request the store or the group could not serve. */
final class RespFailures {
  private RespFailures() {}

  /** The failure itself, out of the future's wrappers. */
  static Throwable cause(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  static String describe(Throwable failure) {
    Throwable cause = cause(failure);
    if (cause instanceof KvException e) {
      return switch (e.error()) {
        case NOT_AN_INTEGER -> "ERR value is not an integer or out of range";
        case OVERFLOW -> "ERR increment or decrement would overflow";
        case VALUE_TOO_LARGE -> "ERR string exceeds maximum allowed size";
        default -> "ERR " + e.getMessage();
      };
    }
    if (cause instanceof RequestTimeoutException || cause instanceof SessionExpiredException) {
      return "ERR " + cause.getMessage() + " (a write may or may not have been applied)";
    }
    if (cause instanceof OverloadedException) {
      return "ERR overloaded, try again later: " + cause.getMessage();
    }
    if (cause instanceof ClientClosedException || cause instanceof NodeClosedException) {
      return "ERR this node is shutting down";
    }
    return "ERR " + (cause.getMessage() != null ? cause.getMessage() : cause.toString());
  }
}
