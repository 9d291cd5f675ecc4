package io.raftdb.sim.dst;

import java.util.ArrayList;
import java.util.List;

/**
 * The record of a run: a hash over every event line (two runs of one seed must end with the same
 * hash) and the last {@value #KEPT} lines, for the failure report.
 */
final class Trace {
  /** How many recent lines are kept for a failure report. */
  static final int KEPT = 50;

  private final String[] ring = new String[KEPT];
  private long count;
  private long hash = Hashes.textSeed();
  private final TraceListener listener;

  /** Receives every line as it is recorded (for a verbose replay); may do nothing. */
  interface TraceListener {
    void line(String line);
  }

  Trace(TraceListener listener) {
    this.listener = listener;
  }

  /** Records one event line. */
  void record(String line) {
    ring[(int) (count % KEPT)] = line;
    count++;
    hash = Hashes.text(hash, line);
    hash = Hashes.text(hash, "\n");
    listener.line(line);
  }

  /** How many lines were recorded. */
  long count() {
    return count;
  }

  /** The hash over every line recorded so far. */
  long hash() {
    return hash;
  }

  /** The last {@value #KEPT} lines (fewer if fewer were recorded), oldest first. */
  List<String> lastLines() {
    List<String> out = new ArrayList<>(KEPT);
    long from = Math.max(0, count - KEPT);
    for (long i = from; i < count; i++) {
      out.add(ring[(int) (i % KEPT)]);
    }
    return out;
  }
}
