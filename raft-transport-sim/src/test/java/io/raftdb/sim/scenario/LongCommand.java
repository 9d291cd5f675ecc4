package io.raftdb.sim.scenario;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The commands of the scenario tests: a {@code long} value (the labs' {@code int} command) in the
 * first 8 bytes, optionally padded to a larger size with bytes derived from that value.
 *
 * <p>Because RaftDB's leader adds a no-op entry at the start of each term, a command's index
 * differs from the labs'; tests give commands distinct values wherever they need to find out where
 * a command landed (or that it landed nowhere). Padding is derived from the value so that the
 * applier can check that a large command (TestRPCBytes2B's 5000-byte strings) arrived intact.
 */
final class LongCommand {
  /** Size of the value at the start of every command. */
  static final int VALUE_BYTES = Long.BYTES;

  private LongCommand() {}

  /** The 8-byte command carrying {@code value}. */
  static byte[] of(long value) {
    return ByteBuffer.allocate(VALUE_BYTES).putLong(value).array();
  }

  /** A command of exactly {@code size} bytes carrying {@code value}, padded with derived bytes. */
  static byte[] padded(long value, int size) {
    if (size < VALUE_BYTES) {
      throw new IllegalArgumentException("a command needs at least " + VALUE_BYTES + " bytes");
    }
    byte[] command = new byte[size];
    ByteBuffer.wrap(command).putLong(value);
    fillPadding(value, command);
    return command;
  }

  /**
   * The value a command carries.
   *
   * @throws IllegalArgumentException if the command is too short or its padding is not the one
   *     derived from its value (the bytes were corrupted on the way)
   */
  static long valueOf(byte[] command) {
    if (command.length < VALUE_BYTES) {
      throw new IllegalArgumentException("command of " + command.length + " bytes is too short");
    }
    long value = ByteBuffer.wrap(command).getLong();
    if (command.length > VALUE_BYTES) {
      byte[] expected = command.clone();
      fillPadding(value, expected);
      if (!Arrays.equals(expected, command)) {
        throw new IllegalArgumentException("padding of command " + value + " ("
            + command.length + " bytes) is corrupted");
      }
    }
    return value;
  }

  private static void fillPadding(long value, byte[] command) {
    SplittableRandom bytes = new SplittableRandom(value);
    for (int i = VALUE_BYTES; i < command.length; i++) {
      command[i] = (byte) bytes.nextInt(256);
    }
  }
}
