package io.raftdb.core.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftdb.LogPosition;
import io.raftdb.message.EntryKind;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class PendingCommandTest {
  @Test
  void aProposalLearnsItsPositionAndItsResult() {
    PendingCommand c = PendingCommand.of(EntryKind.COMMAND, new byte[] {1}, true);
    assertSame(c.result(), c.proposal.result());
    c.appended(7, 2);
    assertEquals(new LogPosition(7, 2), c.proposal.position().join());
    c.applied(new byte[] {9});
    assertArrayEquals(new byte[] {9}, c.proposal.result().join());
  }

  @Test
  void aSubmittedCommandHasOnlyItsResult() {
    PendingCommand c = PendingCommand.of(EntryKind.COMMAND, new byte[] {1}, false);
    assertNull(c.proposal);
    c.appended(7, 2);
    assertEquals(7, c.index);
    assertEquals(2, c.term);
    c.applied(new byte[] {9});
    assertArrayEquals(new byte[] {9}, c.result().join());
  }

  @Test
  void failingASubmittedCommandFailsItsResult() {
    PendingCommand c = PendingCommand.of(EntryKind.COMMAND, new byte[] {1}, false);
    c.fail(new IllegalStateException("stopping"));
    CompletionException e = assertThrows(CompletionException.class, () -> c.result().join());
    assertTrue(e.getCause() instanceof IllegalStateException);
  }

  @Test
  void failingAProposalFailsBothFutures() {
    PendingCommand c = PendingCommand.of(EntryKind.COMMAND, new byte[] {1}, true);
    c.fail(new IllegalStateException("stopping"));
    assertTrue(c.proposal.position().isCompletedExceptionally());
    assertTrue(c.proposal.result().isCompletedExceptionally());
  }
}
