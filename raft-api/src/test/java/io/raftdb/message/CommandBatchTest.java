package io.raftdb.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A batch of a session's commands and the outcomes of its reply. */
class CommandBatchTest {

  @Test
  void commandsAndOutcomesRoundTripInOrder() {
    List<byte[]> commands = List.of(new byte[] {1, 2}, new byte[0], new byte[300]);
    List<byte[]> back = CommandBatch.decodeCommands(CommandBatch.encodeCommands(commands));
    assertEquals(commands.size(), back.size());
    for (int i = 0; i < commands.size(); i++) {
      assertArrayEquals(commands.get(i), back.get(i));
    }
    List<CommandBatch.Outcome> outcomes = List.of(
        new CommandBatch.Outcome(ClientReply.Status.OK, new byte[] {7}),
        CommandBatch.Outcome.error(ClientReply.Status.SESSION_EXPIRED, "gone"),
        new CommandBatch.Outcome(ClientReply.Status.OK, new byte[0]));
    List<CommandBatch.Outcome> decoded =
        CommandBatch.decodeOutcomes(CommandBatch.encodeOutcomes(outcomes));
    assertEquals(3, decoded.size());
    assertEquals(ClientReply.Status.SESSION_EXPIRED, decoded.get(1).status());
    assertEquals("gone", decoded.get(1).explanation());
    assertArrayEquals(new byte[] {7}, decoded.get(0).body());
  }

  @Test
  void aBatchHoldsOneToTheMostCommands() {
    assertThrows(IllegalArgumentException.class, () -> CommandBatch.encodeCommands(List.of()));
    List<byte[]> tooMany = new ArrayList<>();
    for (int i = 0; i <= CommandBatch.MAX_COMMANDS; i++) {
      tooMany.add(new byte[0]);
    }
    assertThrows(IllegalArgumentException.class, () -> CommandBatch.encodeCommands(tooMany));
    assertEquals(CommandBatch.MAX_COMMANDS, CommandBatch.decodeCommands(CommandBatch
        .encodeCommands(tooMany.subList(0, CommandBatch.MAX_COMMANDS))).size());
  }

  @Test
  void outcomesKeptAsStatusesAndBodiesEncodeAfterTheCallersHeader() {
    byte[] statuses = {(byte) ClientReply.Status.OK.code(),
        (byte) ClientReply.Status.REJECTED.code()};
    byte[] encoded = CommandBatch.encodeOutcomes(statuses, new byte[][] {{7, 8}, {}}, 2);
    List<CommandBatch.Outcome> decoded =
        CommandBatch.decodeOutcomes(Arrays.copyOfRange(encoded, 2, encoded.length));
    assertEquals(2, decoded.size());
    assertEquals(ClientReply.Status.OK, decoded.get(0).status());
    assertArrayEquals(new byte[] {7, 8}, decoded.get(0).body());
    assertEquals(ClientReply.Status.REJECTED, decoded.get(1).status());
    assertArrayEquals(new byte[0], decoded.get(1).body());
    assertThrows(IllegalArgumentException.class,
        () -> CommandBatch.encodeOutcomes(new byte[] {99}, new byte[][] {{1}}, 0),
        "an unknown status");
    assertThrows(IllegalArgumentException.class,
        () -> CommandBatch.encodeOutcomes(new byte[] {0}, new byte[0][], 0), "a missing body");
  }

  @Test
  void malformedPayloadsAreCodecErrorsWhetherDecodedOrCounted() {
    byte[] good = CommandBatch.encodeCommands(List.of(new byte[] {1, 2, 3}));
    List<byte[]> malformed = List.of(new byte[0],
        new byte[] {2, 1, 0}, // another version
        new byte[] {1, 0}, // no command
        Arrays.copyOf(good, good.length - 1), // truncated
        Arrays.copyOf(good, good.length + 1)); // trailing
    for (byte[] bytes : malformed) {
      assertThrows(CodecException.class, () -> CommandBatch.decodeCommands(bytes));
      assertThrows(CodecException.class, () -> CommandBatch.countCommands(bytes));
    }
    assertThrows(CodecException.class,
        () -> CommandBatch.decodeOutcomes(new byte[] {1, 1, 99, 0}), "an unknown status");
  }

  /**
   * Random bytes never decode into anything but a batch or a CodecException, and counting agrees
   * with decoding.
   */
  @Test
  void randomBytesAreABatchOrACodecError() {
    Random random = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(12)];
      random.nextBytes(bytes);
      if (bytes.length > 0 && random.nextBoolean()) {
        bytes[0] = 1;
      }
      int decoded;
      try {
        decoded = CommandBatch.decodeCommands(bytes).size();
      } catch (CodecException expected) {
        decoded = -1;
      }
      int counted;
      try {
        counted = CommandBatch.countCommands(bytes);
      } catch (CodecException expected) {
        counted = -1;
      }
      assertEquals(decoded, counted, () -> "counting " + Arrays.toString(bytes));
      try {
        CommandBatch.decodeOutcomes(bytes);
      } catch (CodecException expected) {
        // refused
      }
    }
  }
}
