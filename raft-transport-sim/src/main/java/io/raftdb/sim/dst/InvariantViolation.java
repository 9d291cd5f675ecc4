package io.raftdb.sim.dst;

import java.util.List;

/** Thrown by a checker the moment a property fails; ends the run with a failure report. */
final class InvariantViolation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final InvariantFamily family;
  private final String detail;
  private final transient List<String> nodes;

  InvariantViolation(InvariantFamily family, String detail, String... nodes) {
    super(family + ": " + detail);
    this.family = family;
    this.detail = detail;
    this.nodes = List.of(nodes);
  }

  /** A violation caused by an exception, such as one the protocol threw. */
  InvariantViolation(InvariantFamily family, String detail, Throwable cause, String... nodes) {
    super(family + ": " + detail, cause);
    this.family = family;
    this.detail = detail;
    this.nodes = List.of(nodes);
  }

  /** Which property failed. */
  InvariantFamily family() {
    return family;
  }

  /** What was seen, without the family's name. */
  String detail() {
    return detail;
  }

  /** The nodes involved, such as {@code [n1, n3]}. */
  List<String> nodes() {
    return nodes;
  }
}
