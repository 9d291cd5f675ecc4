package io.raftdb.kv.lab;

import io.raftdb.testkit.linearizability.CheckResult;
import io.raftdb.testkit.linearizability.KvModel;
import io.raftdb.testkit.linearizability.LinearizabilityChecker;
import io.raftdb.testkit.linearizability.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The labs' {@code porcupine} history: every clerk operation with its call and return times,
 * checked for linearizability against the key-value model at the end of a test. A checker that
 * runs out of time is not a failure (the labs treat it the same way), only a note.
 */
final class LabHistory {
  private static final Duration CHECK_TIME = Duration.ofSeconds(30);

  private final List<Operation<KvModel.Input, String>> operations = new ArrayList<>();

  synchronized void completed(int client, KvModel.Input input, String output, long call,
      long ret) {
    operations.add(Operation.completed(client, input, output, call, ret));
  }

  /** An operation whose outcome the clerk never learnt: it may or may not have taken effect. */
  synchronized void unknown(int client, KvModel.Input input, long call) {
    operations.add(Operation.unknown(client, input, call));
  }

  synchronized int size() {
    return operations.size();
  }

  void assertLinearizable() {
    List<Operation<KvModel.Input, String>> copy;
    synchronized (this) {
      copy = List.copyOf(operations);
    }
    long start = System.nanoTime();
    CheckResult result = LinearizabilityChecker.check(KvModel.INSTANCE, copy, CHECK_TIME);
    System.err.printf("linearizability check: %d operations, %s in %d ms%n", copy.size(),
        result.verdict(), (System.nanoTime() - start) / 1_000_000);
    switch (result.verdict()) {
      case LINEARIZABLE -> { }
      case UNKNOWN -> System.err.println("linearizability check timed out on " + copy.size()
          + " operations: " + result.explanation());
      case NOT_LINEARIZABLE -> throw new AssertionError("history is not linearizable ("
          + copy.size() + " operations): " + result.explanation());
    }
  }
}
