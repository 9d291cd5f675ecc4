package io.raftdb.server.resp;

/**
 * One RESP command: its name, Redis's arity (the argument count including the name; negative
 * means at least that many), whether it writes, the positions of its keys, and how it is planned.
 */
record CommandSpec(String name, int arity, Kind kind, int firstKey, int lastKey, int keyStep,
    Planner planner) {

  /** What a command does, for COMMAND's flags. */
  enum Kind { WRITE, READ, CONNECTION, SERVER }

  /** Turns one command into its plan, or throws {@link RespError}. */
  @FunctionalInterface
  interface Planner {
    RespPlan plan(RespCommand c, ConnectionState connection, RespContext context);
  }

  /** Whether {@code argumentCount} (with the name) suits this command. */
  boolean accepts(int argumentCount) {
    return arity >= 0 ? argumentCount == arity : argumentCount >= -arity;
  }
}
