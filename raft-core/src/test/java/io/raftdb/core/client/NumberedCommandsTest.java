package io.raftdb.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.message.ClientRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class NumberedCommandsTest {
  private final NumberedCommands commands = new NumberedCommands();

  private ClientCall numbered(long sequence) {
    ClientCall c = new ClientCall(ClientRequest.Op.COMMAND, new byte[0], null, null, 0);
    c.sequence = sequence;
    commands.add(c);
    return c;
  }

  @Test
  void theHeadIsTheLowestNumberStillWaitingWhateverOrderTheRepliesCome() {
    ClientCall one = numbered(1);
    ClientCall two = numbered(2);
    ClientCall three = numbered(3);
    ClientCall four = numbered(4);
    commands.remove(three); // from the middle
    assertSame(one, commands.first());
    commands.remove(one); // the head
    assertSame(two, commands.first());
    commands.remove(four); // the tail
    assertEquals(List.of(two), commands.toList());
    ClientCall five = numbered(5);
    assertEquals(List.of(two, five), commands.toList());
    commands.remove(two);
    commands.remove(five);
    assertTrue(commands.isEmpty());
  }

  @Test
  void removingACommandThatIsNotHereChangesNothing() {
    ClientCall one = numbered(1);
    ClientCall two = numbered(2);
    commands.remove(one);
    commands.remove(one);
    assertEquals(List.of(two), commands.toList());
    ClientCall stranger = new ClientCall(ClientRequest.Op.COMMAND, new byte[0], null, null, 0);
    commands.remove(stranger);
    assertEquals(List.of(two), commands.toList());
  }
}
