package io.raftdb.core.protocol;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The distinct failures of a fuzz run, each kept once with its first occurrence: what went wrong
 * (an exception's type, message and top stack frames, or a broken invariant) and the seed,
 * step and injected message that led to it, so it can be replayed.
 *
 * <p>Failures are told apart by a signature in which numbers are blanked out, so that the same
 * bug hit with other indexes or terms counts once.
 */
final class FuzzFindings {
  private static final int FRAMES = 4;

  /** One distinct failure. */
  record Finding(String signature, String firstExample, int[] count) {}

  private final Map<String, Finding> bySignature = new LinkedHashMap<>();

  /** Records an exception that escaped the protocol (or the driver's storage under it). */
  void exception(Throwable t, String where, String context) {
    String frames = Arrays.stream(t.getStackTrace()).limit(FRAMES)
        .map(f -> f.getClassName().replaceAll(".*\\.", "") + "." + f.getMethodName() + ":"
            + f.getLineNumber())
        .collect(Collectors.joining(" < "));
    String signature = t.getClass().getName() + ": " + blank(String.valueOf(t.getMessage()))
        + " @ " + frames;
    add(signature, "in " + where + ": " + t + "\n      at " + frames + "\n      " + context);
  }

  /** Records a broken invariant. */
  void invariant(String kind, String detail, String context) {
    add("invariant: " + kind, detail + "\n      " + context);
  }

  private void add(String signature, String example) {
    bySignature.computeIfAbsent(signature, s -> new Finding(s, example, new int[1])).count()[0]++;
  }

  boolean isEmpty() {
    return bySignature.isEmpty();
  }

  int distinct() {
    return bySignature.size();
  }

  /** Every finding with its count and first example, most frequent first. */
  String report() {
    StringBuilder out = new StringBuilder();
    bySignature.values().stream()
        .sorted((a, b) -> Integer.compare(b.count()[0], a.count()[0]))
        .forEach(f -> out.append("- [").append(f.count()[0]).append("x] ").append(f.signature())
            .append("\n    first: ").append(f.firstExample()).append('\n'));
    return out.toString();
  }

  /** Numbers blanked, so that one bug hit with other values gives one signature. */
  private static String blank(String message) {
    return message.replaceAll("-?\\d+", "N");
  }
}
