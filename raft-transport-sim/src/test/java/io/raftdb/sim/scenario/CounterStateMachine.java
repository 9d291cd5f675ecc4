package io.raftdb.sim.scenario;

import io.raftdb.StateMachine;
import java.nio.ByteBuffer;

/**
 * A trivial user state machine, to show that the {@link StateMachine} SPI is generic: a counter.
 * A command is an 8-byte signed amount to add; its result, and the answer to every query, is the
 * total after it.
 */
final class CounterStateMachine implements StateMachine {
  /** Confined to RaftDB's apply thread. */
  private long total;

  /** The command that adds {@code amount}. */
  static byte[] add(long amount) {
    return ByteBuffer.allocate(Long.BYTES).putLong(amount).array();
  }

  /** Reads a result or query answer. */
  static long total(byte[] answer) {
    if (answer.length != Long.BYTES) {
      throw new IllegalArgumentException("a counter answer has 8 bytes, got " + answer.length);
    }
    return ByteBuffer.wrap(answer).getLong();
  }

  @Override
  public byte[] apply(long index, byte[] command) {
    if (command.length == Long.BYTES) {
      total += ByteBuffer.wrap(command).getLong();
    }
    // A malformed command changes nothing, the same way on every node.
    return add(total);
  }

  @Override
  public byte[] query(byte[] query) {
    return add(total);
  }
}
