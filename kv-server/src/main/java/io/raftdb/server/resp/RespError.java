package io.raftdb.server.resp;

/**
 * A command refused before it reaches the store, with the error line a Redis server would send
 * (its first word is the error code: {@code ERR}, {@code NOAUTH}, {@code WRONGPASS}, …).
 */
final class RespError extends RuntimeException {
  RespError(String line) {
    super(line, null, false, false);
  }

  /** Redis's reply to a command with the wrong number of arguments. */
  static RespError wrongArity(String name) {
    return new RespError("ERR wrong number of arguments for '" + name.toLowerCase(
        java.util.Locale.ROOT) + "' command");
  }

  /** Redis's reply to options it cannot parse. */
  static RespError syntax() {
    return new RespError("ERR syntax error");
  }
}
