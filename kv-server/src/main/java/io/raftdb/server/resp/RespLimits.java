package io.raftdb.server.resp;

/**
 * The largest request the RESP decoder takes: a declared length above these is refused before
 * its bytes arrive, so no connection can make a node buffer more.
 *
 * @param maxBulkBytes the longest argument
 * @param maxArguments the most arguments in one request
 * @param maxInlineBytes the longest inline (telnet-style) request line
 */
public record RespLimits(int maxBulkBytes, int maxArguments, int maxInlineBytes) {
  /** Checks that each limit is positive. */
  public RespLimits {
    if (maxBulkBytes < 1 || maxArguments < 1 || maxInlineBytes < 1) {
      throw new IllegalArgumentException("RESP limits must be positive");
    }
  }

  /** Arguments up to 4 MiB (twice the store's largest value), 65,536 of them, 64 KiB lines. */
  public static RespLimits defaults() {
    return new RespLimits(4 << 20, 65_536, 64 << 10);
  }
}
