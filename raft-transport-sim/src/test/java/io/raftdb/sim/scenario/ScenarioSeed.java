package io.raftdb.sim.scenario;

import java.security.SecureRandom;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Gives each scenario test a seed and names it in the failure. The seed drives the test's random
 * choices, the simulated network's faults and the nodes' election timers; the runtime's threads
 * make a run only approximately reproducible, but the same seed replays the same choices.
 *
 * <p>Set {@value #PROPERTY} to rerun with a given seed; otherwise each test draws a fresh one.
 */
final class ScenarioSeed implements BeforeEachCallback, TestExecutionExceptionHandler,
    LifecycleMethodExecutionExceptionHandler {
  /** The system property that fixes the seed. */
  static final String PROPERTY = "raftdb.scenario.seed";

  private static final SecureRandom SEEDS = new SecureRandom();

  private long seed;

  @Override
  public void beforeEach(ExtensionContext context) {
    String fixed = System.getProperty(PROPERTY);
    seed = fixed == null || fixed.isBlank() ? SEEDS.nextLong() : Long.parseLong(fixed.trim());
  }

  /** This test's seed. */
  long value() {
    return seed;
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    throw withSeed(context, failure);
  }

  /** Failures found while closing the clusters (late applier errors) name the seed too. */
  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context,
      Throwable failure) throws Throwable {
    throw withSeed(context, failure);
  }

  private Throwable withSeed(ExtensionContext context, Throwable failure) {
    if (failure instanceof TestAbortedException) {
      return failure;
    }
    return new AssertionError("[" + context.getDisplayName() + " failed with seed " + seed
        + "; rerun with -D" + PROPERTY + "=" + seed + "] " + failure, failure);
  }
}
