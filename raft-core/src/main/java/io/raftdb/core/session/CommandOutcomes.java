package io.raftdb.core.session;

import java.util.Arrays;

/**
 * The outcomes of the commands one {@link SessionEntry.Op#COMMANDS} entry carries, filled in as
 * each is decided or applied: a status code and a body apart, so that a command's result is kept
 * as the state machine returned it, never copied behind a status byte, until the entry's outcome
 * is encoded once (and only where a proposer waits for it).
 */
final class CommandOutcomes {

  private final byte[] statuses;
  private final byte[][] bodies;

  CommandOutcomes(int count) {
    statuses = new byte[count];
    bodies = new byte[count][];
  }

  int size() {
    return statuses.length;
  }

  /** Command {@code i} was applied now and gave {@code result}. */
  void applied(int i, byte[] result) {
    statuses[i] = SessionOutcome.OK;
    bodies[i] = result;
  }

  /** Command {@code i} was decided without applying it: {@code outcome}, a session outcome. */
  void decided(int i, byte[] outcome) {
    statuses[i] = outcome[0];
    bodies[i] = SessionOutcome.body(outcome);
  }

  /** Every command was decided alike: {@code outcome}, a session outcome. */
  void decidedAll(byte[] outcome) {
    Arrays.fill(statuses, outcome[0]);
    Arrays.fill(bodies, SessionOutcome.body(outcome));
  }

  /** The entry's outcome: OK, then the commands' outcomes in order (a {@code CommandBatch}). */
  byte[] encode() {
    return SessionOutcome.batch(statuses, bodies);
  }
}
